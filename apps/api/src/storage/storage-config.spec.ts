import { ConfigError, loadConfig } from '../config/app-config';

/** STORAGE_URL and the S3_* settings, as loadConfig reads and checks them. */
describe('storage configuration', () => {
  const base = { DATA_DIR: '/srv/vetlab', JWT_SECRET: 'x'.repeat(32) };
  const s3 = { STORAGE_URL: 's3://lab-files/vetlab/pdfs/', S3_REGION: 'eu-west-1', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' };
  const fails = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('is the data folder by default, or the folder STORAGE_URL names', () => {
    expect(loadConfig(base).storage).toEqual({ kind: 'local', root: '/srv/vetlab/files' });
    expect(loadConfig({ ...base, STORAGE_URL: '/mnt/pdfs' }).storage).toEqual({ kind: 'local', root: '/mnt/pdfs' });
    expect(loadConfig({ ...base, STORAGE_URL: 'file:///mnt/pdfs' }).storage).toEqual({ kind: 'local', root: '/mnt/pdfs' });
  });

  it('reads s3://bucket/prefix with its settings (AWS itself without an endpoint; path style and bounds as given)', () => {
    expect(loadConfig({ ...base, ...s3 }).storage).toEqual({
      kind: 's3',
      bucket: 'lab-files',
      prefix: 'vetlab/pdfs',
      endpoint: null,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      forcePathStyle: false,
      timeoutMs: 800,
      maxAttempts: 3,
    });
    const own = loadConfig({ ...base, ...s3, STORAGE_URL: 's3://lab-files', S3_ENDPOINT: 'http://10.0.0.5:9000', S3_FORCE_PATH_STYLE: 'true', S3_TIMEOUT_MS: '2000' }).storage;
    expect(own).toMatchObject({ kind: 's3', prefix: '', endpoint: 'http://10.0.0.5:9000', forcePathStyle: true, timeoutMs: 2000 });
    // Without keys, the AWS SDK's own chain (environment, instance role) is asked.
    expect(loadConfig({ ...base, STORAGE_URL: 's3://lab-files/x', S3_REGION: 'eu-west-1' }).storage).toMatchObject({ credentials: null });
  });

  it.each([
    [{ S3_REGION: '' }, /S3_REGION: required with an s3:\/\/ STORAGE_URL/],
    [{ STORAGE_URL: 's3://Lab_Files/x' }, /STORAGE_URL: the bucket/],
    [{ STORAGE_URL: 's3://lab-files/a//b' }, /STORAGE_URL: the prefix/],
    [{ STORAGE_URL: 's3://lab-files/../x' }, /STORAGE_URL: the prefix/],
    [{ S3_SECRET_ACCESS_KEY: '' }, /S3_SECRET_ACCESS_KEY: required with S3_ACCESS_KEY_ID/],
    [{ S3_ACCESS_KEY_ID: '' }, /S3_ACCESS_KEY_ID: required with S3_SECRET_ACCESS_KEY/],
    [{ S3_ACCESS_KEY_ID: '', S3_SECRET_ACCESS_KEY: '', S3_ENDPOINT: 'http://127.0.0.1:9000' }, /S3_ACCESS_KEY_ID: required with S3_ENDPOINT/],
    [{ S3_ENDPOINT: 'ftp://x' }, /S3_ENDPOINT: must be an http/],
    [{ S3_TIMEOUT_MS: '10' }, /S3_TIMEOUT_MS/],
    [{ STORAGE_URL: 'gs://bucket/x' }, /STORAGE_URL: must be a folder, a file:\/\/ URL or s3:\/\/bucket\/prefix/],
  ])('refuses %j with a message naming the variable', (over, message) => {
    const env = Object.fromEntries(Object.entries({ ...s3, ...over }).filter(([, v]) => v !== ''));
    expect(fails(env)).toMatch(message);
  });
});
