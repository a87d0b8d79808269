import { buildApiForTests } from './api-build';
import { prepareDatabaseTemplate } from './db-template';
import { assertPostgres, assertRedis, testDriver } from './services';

export default async function globalSetup() {
  await assertRedis();
  if (testDriver() === 'postgresql') await assertPostgres();
  buildApiForTests();
  await prepareDatabaseTemplate();
}
