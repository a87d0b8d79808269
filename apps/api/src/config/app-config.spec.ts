import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseTrustProxy } from './app-config';

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vetlab-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A production environment that passes every check; each test spoils one setting. */
  const production = (over: Record<string, string | undefined> = {}) => {
    const env: Record<string, string> = { NODE_ENV: 'production', DATA_DIR: dir, JWT_SECRET: 'kR3v9Qx2mP7wL1zT8bN4cY6hJ0fD5sGa', PUBLIC_URL: 'https://lab.example.com' };
    for (const [k, v] of Object.entries(over)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  };
  const refusal = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('loadConfig accepted it');
  };

  it('accepts a sound production configuration', () => {
    const config = loadConfig(production());
    expect(config.env).toBe('production');
    expect(config.publicUrl).toBe('https://lab.example.com');
    expect(config.trustProxy).toBe(false);
  });

  it('production refuses a missing JWT_SECRET', () => {
    expect(refusal(production({ JWT_SECRET: undefined }))).toMatch(/JWT_SECRET: required in production/);
  });

  it('refuses a short JWT_SECRET, and in production a placeholder one', () => {
    expect(refusal(production({ JWT_SECRET: 'short-secret' }))).toMatch(/JWT_SECRET: must be at least 32 characters/);
    expect(refusal(production({ JWT_SECRET: 'x'.repeat(40) }))).toMatch(/JWT_SECRET: looks like a placeholder/);
    expect(refusal(production({ JWT_SECRET: 'changemechangemechangemechangeme' }))).toMatch(/JWT_SECRET: looks like a placeholder/);
  });

  it('production refuses the low (demo) password-hash cost', () => {
    expect(refusal(production({ PASSWORD_HASH_COST: 'low' }))).toMatch(/PASSWORD_HASH_COST: low is for tests/);
  });

  it('production refuses a missing or plain-http PUBLIC_URL', () => {
    expect(refusal(production({ PUBLIC_URL: undefined }))).toMatch(/PUBLIC_URL: required in production/);
    expect(refusal(production({ PUBLIC_URL: 'http://lab.example.com' }))).toMatch(/PUBLIC_URL: must be https:\/\/ in production/);
  });

  it('production refuses TRUST_PROXY=true (anybody could pick their address)', () => {
    expect(refusal(production({ TRUST_PROXY: 'true' }))).toMatch(/TRUST_PROXY: true believes X-Forwarded-For from anybody/);
    expect(loadConfig(production({ TRUST_PROXY: '10.0.0.5' })).trustProxy).toEqual(['10.0.0.5']);
  });

  it('names every problem at once', () => {
    const message = refusal(production({ JWT_SECRET: undefined, PASSWORD_HASH_COST: 'low', PUBLIC_URL: undefined }));
    expect(message.split('\n').filter((l) => l.startsWith('  '))).toHaveLength(3);
  });

  it('outside production none of this is refused', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, PASSWORD_HASH_COST: 'low', TRUST_PROXY: 'true' });
    expect(config.auth.passwordHashCost).toBe('low');
    expect(config.trustProxy).toBe(true);
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('reads MIGRATION_LOCK_TIMEOUT_SECONDS (120 s by default)', () => {
    expect(loadConfig(production()).migrationLockTimeoutMs).toBe(120_000);
    expect(loadConfig(production({ MIGRATION_LOCK_TIMEOUT_SECONDS: '5' })).migrationLockTimeoutMs).toBe(5000);
    expect(refusal(production({ MIGRATION_LOCK_TIMEOUT_SECONDS: '0' }))).toMatch(/MIGRATION_LOCK_TIMEOUT_SECONDS/);
  });

  it('reads RENDER_START (render threads start at boot by default)', () => {
    expect(loadConfig(production()).pdf.startOnBoot).toBe(true);
    expect(loadConfig(production({ RENDER_START: 'first-render' })).pdf.startOnBoot).toBe(false);
    expect(refusal(production({ RENDER_START: 'later' }))).toMatch(/RENDER_START/);
  });

  it('refuses a TRUST_PROXY that is no address, naming it', () => {
    expect(refusal(production({ TRUST_PROXY: '10.0.0.1,nginx.local' }))).toMatch(/TRUST_PROXY: not an address, CIDR .*: nginx\.local/);
  });
});

describe('parseTrustProxy', () => {
  it('false, true, hop counts, addresses, CIDRs and proxy-addr names', () => {
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
  });

  it('refuses what is not an address or a CIDR', () => {
    expect(parseTrustProxy('10.0.0.0/33')).toBeInstanceOf(Error);
    expect(parseTrustProxy('300.1.1.1')).toBeInstanceOf(Error);
    expect(parseTrustProxy('yes')).toBeInstanceOf(Error);
  });
});
