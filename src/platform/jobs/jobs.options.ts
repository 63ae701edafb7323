/** Tuning that is not environment configuration: defaults fit production, tests may override. */
export interface JobsOptions {
  /** Default polling interval of workers, in seconds (pg-boss minimum 0.5). */
  pollingIntervalSeconds: number;
  /** Default number of jobs of one queue running at once on one instance. */
  concurrency: number;
  /** How long shutdown waits for running jobs before failing them back to the queue (ms). */
  shutdownTimeoutMs: number;
  /** Connections pg-boss keeps for polling and bookkeeping (apart from TypeORM's pool). */
  poolSize: number;
}

export const DEFAULT_JOBS_OPTIONS: JobsOptions = {
  pollingIntervalSeconds: 1,
  concurrency: 2,
  shutdownTimeoutMs: 10_000,
  poolSize: 4,
};

/** Optional provider token: `{ provide: JOBS_OPTIONS, useValue: { ... } }` overrides defaults. */
export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');
