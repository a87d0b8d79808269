import { removeApiBuild } from './api-build';
import { removeDatabaseTemplate } from './db-template';

export default async function globalTeardown() {
  await removeDatabaseTemplate();
  removeApiBuild();
}
