import { ApplicationError } from '../errors/index.js';
import type { JobsService } from '../jobs/index.js';
import type { DeltaSyncRun } from './delta-sync.types.js';

/** Not failures of a scheduled tick: the next tick simply tries again. */
const SKIPPED = new Set(['SYNC_ALREADY_RUNNING', 'ERP_ADAPTER_UNAVAILABLE', 'SHUTTING_DOWN']);

/**
 * A tick that meets a run it did not start (a manual sync holding the feed's lock) may have been
 * sent for an ERP change that run began too early to see: it comes back this much later, up to
 * MAX_DEFERRALS times (then the schedule is the safety net).
 */
export const DEFERRAL_SECONDS = 15;
export const MAX_DEFERRALS = 40;

/** The job's payload: null from the schedule and ERP change triggers, a count once deferred. */
export type DeltaSyncTick = { deferred: number } | null;

/** What scheduleDeltaSync needs of the job queue. */
export type DeltaSyncJobs = Pick<JobsService, 'register' | 'schedule' | 'enqueue'>;

export interface ScheduledDeltaSync {
  /** The pg-boss job (queue) name, e.g. `pricing.sync`. */
  job: string;
  /** UTC cron; `null` registers the job (it can still be enqueued) without a schedule. */
  cron: string | null;
  /** Names the sync in the tick's log lines (`price-data`). */
  label: string;
  /** Runs the sync to its end (the same command an operator triggers by hand). */
  run: () => Promise<DeltaSyncRun>;
  /** How long one tick may run before pg-boss gives up on it. */
  expireInSeconds: number;
  /** Extra fields for the tick's log line. */
  logFields?: Record<string, unknown>;
}

/**
 * A scheduled delta sync: a pg-boss cron job that runs the sync's command. pg-boss fires each
 * tick on one instance; the sync's lock covers a tick that overlaps a manual run. A failed run is
 * recorded in sync_run and retried by the next tick from its watermark (no job retries); a tick
 * that finds the sync running, no adapter bound or the instance stopping is skipped, not failed
 * (one that found a manual run holding the lock comes back DEFERRAL_SECONDS later).
 */
export function scheduleDeltaSync(jobs: DeltaSyncJobs, sync: ScheduledDeltaSync): void {
  jobs.register<DeltaSyncTick>({
    name: sync.job,
    handler: async (payload, ctx) => {
      try {
        const run = await sync.run();
        ctx.logger.info(
          { syncRunId: run.id, status: run.status, durationMs: run.durationMs, ...sync.logFields },
          `scheduled ${sync.label} sync done`,
        );
      } catch (error) {
        if (error instanceof ApplicationError && SKIPPED.has(error.code)) {
          ctx.logger.info(
            { code: error.code },
            `scheduled ${sync.label} sync skipped: %s`,
            error.message,
          );
          const deferred = payload?.deferred ?? 0;
          if (error.code === 'SYNC_ALREADY_RUNNING' && deferred < MAX_DEFERRALS) {
            // The running sync may have started before the change this tick was sent for.
            await jobs.enqueue<DeltaSyncTick>(
              sync.job,
              { deferred: deferred + 1 },
              { startAfter: new Date(Date.now() + DEFERRAL_SECONDS * 1000) },
            );
          }
          return;
        }
        throw error;
      }
    },
    retryLimit: 0,
    concurrency: 1,
    expireInSeconds: sync.expireInSeconds,
    // One run going and one queued at most, across instances: schedule ticks and ERP change
    // notifications (platform/erp-changes) coalesce instead of piling up.
    policy: 'stately',
  });
  if (sync.cron !== null) jobs.schedule(sync.job, sync.cron);
}
