import { formatProtocolCode } from './protocol-codes';

describe('formatProtocolCode', () => {
  it('pads the number to six digits', () => {
    expect(formatProtocolCode(2026, 1)).toBe('P-2026-000001');
    expect(formatProtocolCode(2026, 123456)).toBe('P-2026-123456');
  });

  it('keeps every digit past a million rather than wrapping', () => {
    expect(formatProtocolCode(2026, 1234567)).toBe('P-2026-1234567');
  });
});
