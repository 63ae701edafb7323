import { canonicalJson, parseIdempotencyKey, requestFingerprint } from './fingerprint.js';

describe('requestFingerprint', () => {
  it('gives the same fingerprint to bodies that differ only in key order', () => {
    const a = requestFingerprint('POST', '/v1/orders', { a: 1, b: { c: [1, 2], d: 'x' } });
    const b = requestFingerprint('post', '/v1/orders', { b: { d: 'x', c: [1, 2] }, a: 1 });
    expect(a).toBe(b);
  });

  it('changes when the body, the method or the target changes', () => {
    const base = requestFingerprint('POST', '/v1/orders', { a: 1 });
    expect(requestFingerprint('POST', '/v1/orders', { a: 2 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/v1/orders', { a: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/orders?x=1', { a: 1 })).not.toBe(base);
  });

  it('keeps array order significant', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('parseIdempotencyKey', () => {
  it('accepts bare and structured-field (quoted) keys', () => {
    expect(parseIdempotencyKey('abc-123')).toBe('abc-123');
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
  });

  it('rejects missing, empty, over-long and non-printable keys', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('')).toBeUndefined();
    expect(parseIdempotencyKey('""')).toBeUndefined();
    expect(parseIdempotencyKey('x'.repeat(256))).toBeUndefined();
    expect(parseIdempotencyKey('x'.repeat(255))).toHaveLength(255);
    expect(parseIdempotencyKey('bad\u0001key')).toBeUndefined();
  });
});
