import { AppConfig } from '../config/app-config';

/** Filled in by the seed work: demo data (default) or the bench profile. */
export async function runSeed(_config: AppConfig, _argv: string[]): Promise<void> {
  throw new Error('seed not implemented yet');
}
