import {
  API_KEY_PATTERN,
  apiKeyMatches,
  apiKeyPrefix,
  generateApiKey,
  hashApiKey,
} from './api-key.js';

describe('API keys', () => {
  it('generates cdk_<8 base32 chars>_<43 base64url chars> keys whose prefix is their visible part', () => {
    const key = generateApiKey();

    expect(key.plaintext).toMatch(API_KEY_PATTERN);
    expect(key.plaintext.startsWith(`cdk_${key.prefix}_`)).toBe(true);
    expect(apiKeyPrefix(key.plaintext)).toBe(key.prefix);
  });

  it('stores the sha256 of the key, never the key', () => {
    const key = generateApiKey();

    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.hash).toBe(hashApiKey(key.plaintext));
    expect(key.hash).not.toContain(key.plaintext.slice(13));
  });

  it('never generates the same key twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().plaintext));
    expect(keys.size).toBe(1000);
  });

  it('matches only the exact key against its hash', () => {
    const key = generateApiKey();
    const tampered = key.plaintext.slice(0, -1) + (key.plaintext.endsWith('A') ? 'B' : 'A');

    expect(apiKeyMatches(key.plaintext, key.hash)).toBe(true);
    expect(apiKeyMatches(tampered, key.hash)).toBe(false);
    expect(apiKeyMatches(key.plaintext, 'not-hex')).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['no scheme prefix', 'abcdefgh_' + 'A'.repeat(43)],
    ['short secret', 'cdk_abcdefgh_' + 'A'.repeat(42)],
    ['prefix outside base32', 'cdk_abcdefg1_' + 'A'.repeat(43)],
    ['surrounding whitespace', ' cdk_abcdefgh_' + 'A'.repeat(43)],
  ])('finds no prefix in a malformed key (%s)', (_label, candidate) => {
    expect(apiKeyPrefix(candidate)).toBeUndefined();
  });
});
