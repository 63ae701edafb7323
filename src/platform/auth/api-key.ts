import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Channel API keys look like `cdk_<prefix>_<secret>`:
 * - `cdk_` says what the string is (secret scanners and humans recognise it);
 * - the prefix (8 lowercase base32 characters, 40 random bits) is not secret: it is stored in
 *   clear, shown to operations, and used to find the key row in one indexed look-up;
 * - the secret is 32 random bytes in base64url (43 characters, 256 bits).
 *
 * Only sha256(whole key) is stored. A fast hash is the right tool here: slow password hashes
 * (bcrypt, scrypt, argon2) exist to make guessing low-entropy human passwords expensive, but a
 * 256-bit random secret cannot be guessed whatever the hash costs, and a slow hash would add tens
 * of milliseconds of CPU to every authenticated request.
 */
export const API_KEY_PATTERN = /^cdk_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export interface GeneratedApiKey {
  /** The plaintext key: handed to the caller once, never stored. */
  plaintext: string;
  prefix: string;
  /** Hex sha256 of the plaintext, as stored in api_key.key_hash. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = base32(randomBytes(5));
  const secret = randomBytes(32).toString('base64url');
  const plaintext = `cdk_${prefix}_${secret}`;
  return { plaintext, prefix, hash: hashApiKey(plaintext) };
}

/** The prefix of a well-formed key, or undefined when the string is not a Crossdock key at all. */
export function apiKeyPrefix(candidate: string): string | undefined {
  return API_KEY_PATTERN.exec(candidate)?.[1];
}

export function hashApiKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented key with a stored hash (no early exit on a mismatch). */
export function apiKeyMatches(plaintext: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(plaintext, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** RFC 4648 base32 (lowercase, no padding) of a buffer whose bit length is a multiple of 5. */
function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    // Never more than 12 pending bits: masking keeps the accumulator inside 32-bit integers.
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
