/** Tuning that is not environment configuration: defaults fit production, tests may override. */
export interface OutboxOptions {
  /**
   * How often an instance looks for due events it was not woken for (events added on another
   * instance, or committed after their wake-up). Events added on this instance are published as
   * soon as they are due, without waiting for the poll.
   */
  pollIntervalMs: number;
  /** Events claimed and published per transaction. */
  batchSize: number;
  /** Published events are deleted after this many hours. */
  retentionHours: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  pollIntervalMs: 1000,
  batchSize: 500,
  retentionHours: 7 * 24,
};

/** Optional provider token: `{ provide: OUTBOX_OPTIONS, useValue: { ... } }` overrides defaults. */
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
