import { invalidCursorError, isIsoTimestamp } from '../cursor/index.js';

/**
 * Position in the newest-first list of exceptions: the (created_at, id) of the last row served.
 * `createdAt` keeps PostgreSQL's microseconds (a JS Date would round them away and skip or repeat
 * rows that share a millisecond).
 */
export interface ExceptionCursor {
  createdAt: string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of a small JSON document. */
export function encodeExceptionCursor(cursor: ExceptionCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.createdAt, i: cursor.id }), 'utf8').toString(
    'base64url',
  );
}

export function decodeExceptionCursor(value: string): ExceptionCursor {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursorError();
  }
  const { t, i } = (decoded ?? {}) as { t?: unknown; i?: unknown };
  // The shape this API issues, naming a time that exists (PostgreSQL refuses 2026-02-30).
  if (!isIsoTimestamp(t) || !TIMESTAMP.test(t) || typeof i !== 'string' || !UUID.test(i)) {
    throw invalidCursorError();
  }
  return { createdAt: t, id: i };
}
