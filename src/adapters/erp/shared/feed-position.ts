import type { DeltaWatermark } from '../../../platform/delta-sync/index.js';

/**
 * A place in a feed pass, in the port's order: modifiedAt, then sourceId in code-unit order.
 * `at` is kept as the source wrote it (the on-prem ERP has microseconds; the hub's watermark has
 * milliseconds); `ms` is what is compared when sources only have milliseconds.
 */
export interface FeedPosition {
  at: string;
  sourceId: string;
}

/** Ordinal (code-unit) comparison, like SQL `COLLATE "C"`, as the port specifies. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The opaque cursor the hub hands back: base64url JSON, so no caller reads meaning into it. */
export function encodeCursor<T extends object>(state: T): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeCursor<T extends object>(
  cursor: string,
  check: (value: unknown) => value is T,
): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidFeedCursorError();
  }
  if (!check(value)) throw new InvalidFeedCursorError();
  return value;
}

/** A cursor this adapter did not issue (the hub never makes one up: a bug if it happens). */
export class InvalidFeedCursorError extends Error {
  constructor() {
    super('The feed cursor is not one this ERP adapter issued.');
    this.name = 'InvalidFeedCursorError';
  }
}

/** Where a pass (re)starts: the cursor if there is one, else `since`, else the beginning. */
export function startOf(
  since: DeltaWatermark | null,
  cursor: FeedPosition | null,
): FeedPosition | null {
  if (cursor) return cursor;
  return since ? { at: since.modifiedAt, sourceId: since.sourceId } : null;
}

export function isFeedPosition(value: unknown): value is FeedPosition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FeedPosition).at === 'string' &&
    typeof (value as FeedPosition).sourceId === 'string'
  );
}
