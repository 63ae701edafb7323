import { ApplicationError } from '../errors/index.js';
import type { JobsService } from '../jobs/index.js';
import type { DeltaSyncRun } from './delta-sync.types.js';

/** Not failures of a scheduled tick: the next tick simply tries again. */
const SKIPPED = new Set(['SYNC_ALREADY_RUNNING', 'ERP_ADAPTER_UNAVAILABLE', 'SHUTTING_DOWN']);

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
 * that finds the sync running, no adapter bound or the instance stopping is skipped, not failed.
 */
export function scheduleDeltaSync(jobs: JobsService, sync: ScheduledDeltaSync): void {
  jobs.register<null>({
    name: sync.job,
    handler: async (_payload, ctx) => {
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
