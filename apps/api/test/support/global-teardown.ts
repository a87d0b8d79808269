import { removeApiBuild } from './api-build';

export default async function globalTeardown() {
  removeApiBuild();
}
