import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../platform/delta-sync/index.js';

/**
 * A fingerprint of a canonical record and its source id, stored as source_hash, so a re-read
 * record that did not change is recognised and not rewritten (a new source id is a change too).
 * Keys are sorted: the hash does not depend on property order.
 */
export function sourceHash(sourceId: string, record: unknown): string {
  return createHash('sha256').update(canonicalJson({ sourceId, record })).digest('base64url');
}
