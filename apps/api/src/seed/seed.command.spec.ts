import { loadConfig } from '../config/app-config';
import { parseSeedArgs, seedDatabase } from './seed.command';

const config = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: '/tmp/vetlab-seed-spec', JWT_SECRET: 'x'.repeat(32), ...env });

describe('seed arguments', () => {
  it('defaults to the demo profile and reads the flags', () => {
    expect(parseSeedArgs(['seed'])).toEqual({ profile: 'demo', ifEmpty: false, reset: false });
    expect(parseSeedArgs(['seed', '--profile=bench', '--if-empty', '--reset'])).toEqual({ profile: 'bench', ifEmpty: true, reset: true });
  });

  it('refuses an unknown profile, naming it', () => {
    expect(() => parseSeedArgs(['--profile=huge'])).toThrow('--profile must be demo, bench or decade (got huge)');
  });
});

describe('seed database', () => {
  it('keeps the configured database for the demo profile', () => {
    const c = config();
    expect(seedDatabase(c, 'demo')).toBe(c.database);
  });

  it('sends the bench profile to its own SQLite file unless SQLITE_PATH names one', () => {
    expect(seedDatabase(config(), 'bench')).toEqual({ driver: 'sqlite', path: '/tmp/vetlab-seed-spec/bench.sqlite' });
    expect(seedDatabase(config({ SQLITE_PATH: '/tmp/b/my-bench.sqlite' }), 'bench')).toEqual({ driver: 'sqlite', path: '/tmp/b/my-bench.sqlite' });
  });

  it('uses the PostgreSQL database it is pointed at', () => {
    const c = config({ DATABASE_URL: 'postgres://u@h:5432/bench' });
    expect(seedDatabase(c, 'bench')).toEqual({ driver: 'postgresql', url: 'postgres://u@h:5432/bench', poolSize: 10 });
  });
});
