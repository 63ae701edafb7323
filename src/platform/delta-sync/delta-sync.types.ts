import type { EntityManager } from 'typeorm';
import type { RecordCheck, RecordProblem } from '../kernel/index.js';

export type { RecordCheck, RecordProblem };

/*
 * The generic shape of an ERP delta feed, as every ERP port of the hub reads it: keyset-paged
 * passes over the changes after a watermark. A module's port (PriceDataFeed, InventoryFeed, …)
 * documents the contract for its adapters in MUST/SHOULD terms; these types are the common part.
 */

/** A position in a feed: the last change the hub has applied. */
export interface DeltaWatermark {
  /** ISO 8601 with offset. */
  modifiedAt: string;
  /** Ordinal tie-break among records with the same modifiedAt; `''` = before all of them. */
  sourceId: string;
}

export interface DeltaReadRequest {
  /** Return changes after this position; `null` = everything. */
  since: DeltaWatermark | null;
  /** `null` on the first call of a pass, else the previous page's nextCursor. */
  cursor: string | null;
  /** The most records the hub wants in one page. */
  pageSize: number;
  /** Aborted when the hub shuts down: pass it on to what can be cancelled. */
  signal?: AbortSignal;
}

/** A source record mapped to its canonical form. */
export interface DeltaChange<T> {
  sourceId: string;
  modifiedAt: string;
  record: T;
}

/** A source record that was deleted in the source (only feeds that can see deletes send these). */
export interface DeltaDeletion {
  sourceId: string;
  /** When the source deleted it. */
  modifiedAt: string;
  deleted: true;
}

/** A source record the adapter could not map. */
export interface DeltaInvalidRecord {
  sourceId: string;
  modifiedAt?: string;
  invalid: {
    reason: string;
    payload: unknown;
  };
}

export type DeltaEntry<T> = DeltaChange<T> | DeltaDeletion | DeltaInvalidRecord;

export interface DeltaPage<T> {
  records: DeltaEntry<T>[];
  /** `null` ends the pass. */
  nextCursor: string | null;
  /** How many records the whole pass will deliver, if cheaply known: only used for progress logs. */
  totalEstimate?: number;
  /**
   * What the adapter could not serve on this page because the ERP lacks it (e.g. a custom API
   * page not installed: "shipToAddresses: customer ship-to addresses"). The run records it, so a
   * degraded sync is never mistaken for a complete one.
   */
  degraded?: string[];
}

export interface DeltaFeedHealth {
  up: boolean;
  details?: Record<string, unknown>;
}

export function isDeltaInvalid<T>(entry: DeltaEntry<T>): entry is DeltaInvalidRecord {
  return 'invalid' in entry && entry.invalid !== undefined;
}

export function isDeltaDeletion<T>(entry: DeltaEntry<T>): entry is DeltaDeletion {
  return 'deleted' in entry && entry.deleted === true;
}

/**
 * Where a stream's records live. The table has the business columns listed here (key columns
 * included) plus the bookkeeping columns every delta table carries:
 * `source_id text, source_modified_at timestamptz, content_hash text, synced_at timestamptz,
 * change_seq bigint, deleted boolean` (see DELTA_TABLE_BOOKKEEPING_DDL).
 */
export interface DeltaTable<T> {
  name: string;
  /** The business key (the upsert conflict target). */
  keyColumns: string[];
  /** Every business column with its PostgreSQL type, key columns included. */
  columns: [string, string][];
  /** The column values of one record (JSON-safe: decimal strings, ISO dates, arrays). */
  toRow(record: T): Record<string, unknown>;
  /** The business key as text (`|`-joined), for collapsing a page to one version per key. */
  keyOf(record: T): string;
}

/** A record the runner accepted from a page: checked, its time parsed, its content hashed. */
export interface AcceptedChange<T> {
  sourceId: string;
  modifiedAt: Date;
  record: T;
  /** Hash of the canonical record only (not of its source id): equal data, equal hash. */
  contentHash: string;
}

export interface AcceptedDeletion {
  sourceId: string;
  modifiedAt: Date;
}

/** One page for a stream's own writer: one version per business key, inside the page's transaction. */
export interface DeltaPageWrite<T> {
  manager: EntityManager;
  sync: string;
  stream: string;
  runId: string;
  changes: AcceptedChange<T>[];
  deletions: AcceptedDeletion[];
}

/** What a page's writes did; `upserted` + unchanged = the page's accepted changes. */
export interface DeltaWriteResult {
  upserted: number;
  deleted: number;
}

/**
 * The writer step of a stream whose records do not go into a plain DeltaTable (a module's own
 * tables under its own rules: governance, audit, child rows). The runner still reads, checks,
 * refuses, collapses the page, keeps the watermark, the run, the lock and the metrics; the
 * writer only writes, in the page's transaction (the watermark commits with it). Full passes
 * remove nothing from a writer's tables: a writer stream handles deletions itself.
 */
export interface DeltaStreamWriter<T> {
  /** The business key as text, for collapsing a page to one version per key. */
  keyOf(record: T): string;
  write(page: DeltaPageWrite<T>): Promise<DeltaWriteResult>;
}

interface DeltaStreamSource<T> {
  /** Unique within its sync; names the watermark, the counts and exception sources. */
  name: string;
  read(request: DeltaReadRequest): Promise<DeltaPage<unknown>>;
  /** Checks and normalises what the adapter delivered; nothing it returns is trusted. */
  check(record: unknown): RecordCheck<T>;
}

/**
 * One kind of record a sync reads: where from, how it is checked, where it goes: a DeltaTable
 * the runner writes itself, or a writer of the module's own.
 */
export type DeltaStream<T = unknown> = DeltaStreamSource<T> &
  (
    | { table: DeltaTable<T>; writer?: undefined }
    | { writer: DeltaStreamWriter<T>; table?: undefined }
  );

/** `completed_with_errors`: every stream read to the end, but records were refused (invalid). */
export const DELTA_SYNC_STATUSES = [
  'running',
  'succeeded',
  'completed_with_errors',
  'failed',
] as const;
export type DeltaSyncStatus = (typeof DELTA_SYNC_STATUSES)[number];

/** What one run did with one stream. */
export interface DeltaStreamCounts {
  /** Entries the feed delivered (valid, deleted and invalid; overlap re-reads included). */
  read: number;
  /** Records written because they were new or differed from the hub's copy. */
  upserted: number;
  /** Valid records identical to (or older than) the hub's copy: not rewritten. */
  unchanged: number;
  /** Records removed: a deletion from the feed, or (full pass) no longer returned by it. */
  deleted: number;
  /** Entries refused and recorded as exceptions. */
  invalid: number;
  pages: number;
  /** Set when this stream stopped early; the other streams still ran. */
  error: string | null;
  /** What the feed could not serve (DeltaPage.degraded), once each. */
  degraded: string[];
}

/** One page of a sync's runs, newest first. */
export interface DeltaSyncRunPage {
  items: DeltaSyncRun[];
  /** Pass back as `cursor` for older runs; null on the last page. */
  nextCursor: string | null;
}

export interface DeltaSyncRun {
  id: string;
  /** Which sync, e.g. `pricing`. */
  sync: string;
  trigger: DeltaSyncTrigger;
  status: DeltaSyncStatus;
  /** Name of the feed (ERP adapter) the run read from. */
  feed: string;
  /** True when every stream was read from the beginning (and records gone from it removed). */
  full: boolean;
  streams: Record<string, DeltaStreamCounts>;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  correlationId: string | null;
}

export function emptyStreamCounts(): DeltaStreamCounts {
  return {
    read: 0,
    upserted: 0,
    unchanged: 0,
    deleted: 0,
    invalid: 0,
    pages: 0,
    error: null,
    degraded: [],
  };
}

/** What a module hands the runner to sync. */
export interface DeltaSyncDefinition {
  /** Names the run, the advisory lock, the change clock and exception sources (`pricing`). */
  sync: string;
  /** The bound feed's name: a watermark written under another name is ignored (start over). */
  feedName: string;
  /** Read in this order, one at a time. */
  streams: DeltaStream[];
  pageSize: number;
  /** Overlap window re-read by every pass, for source rows that commit late. */
  lagSeconds: number;
  /**
   * Runs inside each page's transaction after a DeltaTable stream's writes (rarely needed); the
   * change sequence is the value every row written by this page carries. (A stream with its own
   * writer does such work in its writer.)
   */
  alsoInTransaction?: (manager: EntityManager, changeSeq: string) => Promise<void>;
  /**
   * Called after each page has committed, with what it wrote (e.g. to have the changes published
   * soon). Errors are logged; they do not stop the run.
   */
  afterPage?: (stream: string, written: DeltaWriteResult) => Promise<void>;
  /** Called once the run is over (succeeded or failed), e.g. to refresh a cache. Errors are logged. */
  afterRun?: (run: DeltaSyncRun) => Promise<void>;
}

/** What started a run: an operator (or API client), or the sync's schedule. */
export const DELTA_SYNC_TRIGGERS = ['manual', 'schedule'] as const;
export type DeltaSyncTrigger = (typeof DELTA_SYNC_TRIGGERS)[number];

export interface StartDeltaSyncOptions {
  trigger: DeltaSyncTrigger;
  /** true: resolve with the finished run; false: resolve at once with the running run. */
  wait: boolean;
  /** Read every stream from the beginning and remove records the feed no longer returns. */
  full?: boolean;
}
