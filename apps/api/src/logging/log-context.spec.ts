import { logContext, requestIdFrom, runWithLogContext } from './log-context';

describe('requestIdFrom', () => {
  it('takes a sane X-Request-Id as it is', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
  });

  it('makes a new one when the header is missing, too long or carries spaces, quotes or control characters', () => {
    for (const bad of [undefined, '', 'a b', 'x"y', 'line\nbreak', 'x'.repeat(129)]) {
      const id = requestIdFrom(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('log context', () => {
  it('is empty outside, carries what is run with it through awaits, and an inner one replaces the outer', async () => {
    expect(logContext()).toEqual({});
    await runWithLogContext({ jobId: '7', jobKind: 'send_email' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(logContext()).toEqual({ jobId: '7', jobKind: 'send_email' });
      await runWithLogContext({ requestId: 'r' }, async () => {
        await Promise.resolve();
        expect(logContext()).toEqual({ requestId: 'r' });
      });
      expect(logContext()).toEqual({ jobId: '7', jobKind: 'send_email' });
    });
    expect(logContext()).toEqual({});
  });
});
