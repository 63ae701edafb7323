import { createHash } from 'node:crypto';

/**
 * A fingerprint of a canonical record (and its source id), so a re-read record that did not change
 * is recognised and not rewritten. Keys are sorted: the hash does not depend on property order.
 */
export function sourceHash(sourceId: string, record: unknown): string {
  return createHash('sha256').update(stableJson({ sourceId, record })).digest('base64url');
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
