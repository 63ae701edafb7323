import { isBigintString, isCursorText, isIsoTimestamp } from './index.js';

describe('cursor field checks', () => {
  it.each([
    '2026-02-28T10:00:00Z',
    '2024-02-29T23:59:59.999Z',
    '2026-12-31T00:00:00.123456Z',
    '2026-05-13T10:15:30.123+02:00',
  ])('accepts the existing time %s', (value) => {
    expect(isIsoTimestamp(value)).toBe(true);
  });

  it.each([
    '2026-02-30T10:00:00.000Z',
    '2025-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-01-01T10:00:00',
    '0000-01-01T00:00:00Z',
    '2026-01-01',
    ' 2026-01-01T00:00:00Z',
  ])('refuses %s, which is not an existing ISO date-time', (value) => {
    expect(isIsoTimestamp(value)).toBe(false);
  });

  it('refuses a bigint string over 2^63 - 1 and accepts the maximum', () => {
    expect(isBigintString('9223372036854775807')).toBe(true);
    expect(isBigintString('9223372036854775808')).toBe(false);
    expect(isBigintString('-1')).toBe(false);
  });

  it('refuses a text key with a NUL, an unpaired surrogate or over its length', () => {
    expect(isCursorText('SKU-1', 10)).toBe(true);
    expect(isCursorText('SKU\u0000', 10)).toBe(false);
    expect(isCursorText('SKU\ud800', 10)).toBe(false);
    expect(isCursorText('x'.repeat(11), 10)).toBe(false);
  });
});
