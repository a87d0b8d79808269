import { buildApiForTests } from './api-build';
import { prepareDatabaseTemplate } from './db-template';
import { sweepSmallTablespaces } from './pg-tablespace';
import { assertPostgres, assertRedis, testDriver } from './services';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { sweepSmallDisks } from '../../../../tools/testing/small-disk';

export default async function globalSetup() {
  await assertRedis();
  if (testDriver() === 'postgresql') await assertPostgres();
  // What a killed run left: its small disks, then (PostgreSQL) the tablespaces that were on them.
  sweepSmallDisks();
  if (testDriver() === 'postgresql') await sweepSmallTablespaces();
  buildApiForTests();
  await prepareDatabaseTemplate();
}
