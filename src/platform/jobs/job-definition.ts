import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';

/** pg-boss queue policies; `singletonKey` only de-duplicates under `short`, `singleton`, `stately`. */
export type JobQueuePolicy = 'standard' | 'short' | 'singleton' | 'stately';

/** What a handler gets besides its payload. */
export interface JobContext {
  /** pg-boss job id: the same on every attempt of this job. */
  jobId: string;
  queue: string;
  /** Correlation id of the request or job that enqueued this one; also on every log line. */
  correlationId: string;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  /** retryLimit + 1. */
  maxAttempts: number;
  /** Log lines carry job, jobId, attempt and correlationId. */
  logger: Logger;
  /** Names the business object (order id, SKU) in the exception record should this job give up. */
  setReference(reference: string): void;
}

export interface JobDefinition<T> {
  /** Queue name, e.g. `orders.post-to-erp`: letters, digits, `.`, `_`, `-`. */
  name: string;
  /**
   * Does the work. Runs at least once per job (a crash mid-run means another run), so it must be
   * idempotent. Throw to retry; throw PermanentJobError to give up at once.
   */
  handler: (payload: T, ctx: JobContext) => Promise<void>;
  /** Retries after the first attempt (default 5). */
  retryLimit?: number;
  /** Delay before the first retry, in seconds (default 10). */
  retryDelaySeconds?: number;
  /** Exponential backoff with jitter: delay × 2^n (default true). */
  retryBackoff?: boolean;
  /** An attempt still running after this long counts as failed (default 900). */
  expireInSeconds?: number;
  /** Type of the exception record when the job gives up (default `job.failed`). */
  exceptionType?: string;
  /** Business reference for the exception record, derived from the payload. */
  reference?: (payload: T) => string | undefined;
  /** Jobs of this queue run at once on one instance (default 2). */
  concurrency?: number;
  /** How often an idle worker looks for jobs (default 1s, minimum 0.5s). */
  pollingIntervalSeconds?: number;
  /** pg-boss queue policy (default `standard`). */
  policy?: JobQueuePolicy;
  /**
   * Checks a corrected payload an operator sends with a replay of a dead-lettered job
   * (POST /v1/ops/exceptions/{id}/replay) before it is enqueued: the violations, one message
   * each, or [] when it will do. `original` is the payload the job failed with. When it passes,
   * `reference` (when declared) must also name the same object for both. Without a validator
   * the queue takes no corrected payload (only the original is replayed).
   */
  validateReplayPayload?(payload: unknown, original: unknown): string[];
}

export interface EnqueueOptions {
  /**
   * An EntityManager inside a transaction: the job is inserted on that transaction, so it exists
   * only if the state change that caused it commits.
   */
  manager?: EntityManager;
  /** De-duplication key (see JobQueuePolicy). */
  singletonKey?: string;
  /** Not before this time, or this many seconds from now. */
  startAfter?: Date | number;
  /**
   * The job's correlation id; default that of the current request or job. A replay passes the
   * failed job's, so its log lines link up with the failure's.
   */
  correlationId?: string;
  /**
   * The exception record this job replays. Should it fail again, its new exception record points
   * back there (`replayOf`).
   */
  replayOf?: string;
}
