import type { MasterDataKind } from './master-data-kind.js';

export const SYNC_TRIGGERS = ['manual', 'schedule'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/** `completed_with_errors`: every kind read to the end, but records were refused (invalid). */
export const SYNC_RUN_STATUSES = [
  'running',
  'succeeded',
  'completed_with_errors',
  'failed',
] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

/** What one sync did with one kind of record. */
export interface EntitySyncCounts {
  /** Records the feed delivered (valid and invalid, re-reads of the overlap window included). */
  read: number;
  /** Records written because they were new or differed from the hub's copy. */
  upserted: number;
  /** Valid records identical to (or older than) the hub's copy: not rewritten. */
  unchanged: number;
  /** Records refused and recorded as exceptions. */
  invalid: number;
  pages: number;
  /** Set when this kind stopped early; the other kinds still ran. */
  error: string | null;
  /** What the feed could not serve (FeedPage.degraded), once each. */
  degraded: string[];
}

export interface SyncRun {
  id: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  /** Name of the MasterDataFeed (ERP adapter) the run read from. */
  feed: string;
  entities: Record<MasterDataKind, EntitySyncCounts>;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  correlationId: string | null;
}

export function emptyCounts(): EntitySyncCounts {
  return { read: 0, upserted: 0, unchanged: 0, invalid: 0, pages: 0, error: null, degraded: [] };
}
