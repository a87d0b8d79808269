import { bearerMatches } from './metrics-server';

describe('bearerMatches', () => {
  it('accepts exactly the bearer token', () => {
    expect(bearerMatches('Bearer s3cret-token-0123456', 's3cret-token-0123456')).toBe(true);
    for (const h of [undefined, '', 's3cret-token-0123456', 'Bearer s3cret-token-012345', 'Bearer s3cret-token-01234567', 'Basic s3cret-token-0123456']) {
      expect(bearerMatches(h, 's3cret-token-0123456')).toBe(false);
    }
  });
});
