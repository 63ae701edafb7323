import type { AuthenticatedChannel } from '../../../../platform/auth/index.js';
import { invalidCursorError, isBigintString } from '../../../../platform/cursor/index.js';

/**
 * Who may read which shipments and invoices: operations (ops:admin) everything; a WMS or
 * supplier the shipments it confirmed (and no invoices); any other channel those of its own
 * orders. Anything else is answered as not found.
 */
export type ReaderScope =
  | { kind: 'all' }
  | { kind: 'ordering'; channelId: string }
  | { kind: 'confirming'; channelId: string };

export function readerScopeOf(channel: AuthenticatedChannel): ReaderScope {
  if (channel.scopes.includes('ops:admin')) return { kind: 'all' };
  if (channel.kind === 'wms' || channel.kind === 'supplier') {
    return { kind: 'confirming', channelId: channel.channelId };
  }
  return { kind: 'ordering', channelId: channel.channelId };
}

export const DEFAULT_LIMIT = 50;

export function encodeSeqCursor(seq: string | null, more: boolean): string | null {
  return more && seq ? Buffer.from(JSON.stringify({ s: seq })).toString('base64url') : null;
}

export function decodeSeqCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown };
    if (isBigintString(value.s)) return value.s;
  } catch {
    // falls through: a cursor this API did not hand out
  }
  throw invalidCursorError();
}
