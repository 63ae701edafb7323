import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so two bodies that mean the same thing fingerprint the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The request fingerprint of the idempotency draft: method, target and body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${url}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

const KEY_CHARS = /^[\x20-\x7e]{1,255}$/;

/**
 * Parses the Idempotency-Key header. The draft defines it as a Structured Field string (quoted);
 * most clients send it bare, so both are accepted. Returns undefined when unusable.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  const unquoted =
    trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
      ? trimmed.slice(1, -1)
      : trimmed;
  return KEY_CHARS.test(unquoted) && unquoted.trim().length > 0 ? unquoted : undefined;
}
