import type { MetricsService } from './metrics.service.js';

/** Every finished sync run by sync (`master-data`, `pricing`, `inventory`), feed and status. */
export const SYNC_RUNS_METRIC = 'sync_runs_total';
/** Records a sync refused (each one a `sync.record_invalid` exception), by sync, feed and kind. */
export const SYNC_RECORDS_INVALID_METRIC = 'sync_records_invalid_total';

/**
 * The status of a run that got to the end of every stream: `completed_with_errors` when it
 * refused records (they wait in the exception queue), else `succeeded`. A run with a stream
 * that stopped early is `failed`. A run where every record was refused never says succeeded.
 */
export function finishedRunStatus(
  failedStreams: number,
  invalidRecords: number,
): 'succeeded' | 'completed_with_errors' | 'failed' {
  if (failedStreams > 0) return 'failed';
  return invalidRecords > 0 ? 'completed_with_errors' : 'succeeded';
}

/** Counts one finished run and the records it refused, per kind (stream). */
export function recordSyncRun(
  metrics: MetricsService,
  run: { sync: string; feed: string; status: string; invalidByKind: Record<string, number> },
): void {
  metrics
    .counter({
      name: SYNC_RUNS_METRIC,
      help: 'Finished sync runs by sync, feed and status (succeeded, completed_with_errors, failed)',
      labelNames: ['sync', 'feed', 'status'],
    })
    .inc({ sync: run.sync, feed: run.feed, status: run.status });
  const invalid = metrics.counter({
    name: SYNC_RECORDS_INVALID_METRIC,
    help: 'Records a sync refused as invalid (sync.record_invalid exceptions), by sync, feed and kind',
    labelNames: ['sync', 'feed', 'kind'],
  });
  for (const [kind, count] of Object.entries(run.invalidByKind)) {
    // Zero increments too: the series exists from the first run, so alerts can use increase().
    invalid.inc({ sync: run.sync, feed: run.feed, kind }, count);
  }
}
