import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from '../logging/index.js';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { CorrelationContext } from '../correlation/index.js';
import { ExceptionsService } from '../exceptions/index.js';
import { finishedRunStatus, MetricsService, recordSyncRun } from '../metrics/index.js';
import {
  type AcceptedChange,
  type AcceptedDeletion,
  classifyDeltaEntries,
  type ClassifiedPage,
  compareDeltaPositions,
  type DeltaPosition,
  type RefusedEntry,
} from './delta-entry.classifier.js';
import { DeltaSyncErrors } from './delta-sync.errors.js';
import { DeltaSyncLock } from './delta-sync.lock.js';
import { DeltaSyncStore, type StoredWatermark } from './delta-sync.store.js';
import {
  type DeltaPage,
  type DeltaStream,
  type DeltaStreamCounts,
  type DeltaSyncDefinition,
  type DeltaSyncRun,
  type DeltaSyncRunPage,
  type DeltaWatermark,
  type DeltaWriteResult,
  emptyStreamCounts,
  type StartDeltaSyncOptions,
} from './delta-sync.types.js';
import {
  collapsePage,
  deleteDeltaRecords,
  nextChangeSeq,
  sweepUnseenRecords,
  upsertDeltaRecords,
  type WriteContext,
} from './delta-table.writer.js';

/** Exception type of a record a sync refused (the same type master data uses). */
export const DELTA_RECORD_INVALID_EXCEPTION = 'sync.record_invalid';
const STOPPED = 'Stopped: the instance is shutting down.';
const SHUTDOWN_WAIT_MS = 15_000;

/**
 * Runs delta syncs: one at a time per sync across all instances (advisory lock), each stream read
 * in one keyset-paged pass from its watermark minus the overlap window, every page committed in
 * ONE transaction with its writes, its change-log rows, the exceptions for refused entries and the
 * advanced watermark. A crash between pages loses nothing and repeats only the page in flight; a
 * stream that fails stops there and the next stream still runs. Progress is logged and saved in
 * sync_run after every page.
 */
@Injectable()
export class DeltaSyncService implements OnModuleDestroy {
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: DeltaSyncLock,
    private readonly store: DeltaSyncStore,
    private readonly exceptions: ExceptionsService,
    private readonly logger: PinoLogger,
    private readonly metrics: MetricsService,
  ) {
    this.logger.setContext(DeltaSyncService.name);
  }

  /**
   * Starts a run. Fails at once with SYNC_ALREADY_RUNNING (409) while any instance runs this sync
   * and SHUTTING_DOWN (503) during shutdown. With `wait` the result is the finished run; without,
   * the run goes on in the background and the running run is returned.
   */
  async start(
    definition: DeltaSyncDefinition,
    options: StartDeltaSyncOptions,
  ): Promise<DeltaSyncRun> {
    if (this.stopping.signal.aborted) throw DeltaSyncErrors.shuttingDown();
    const lock = await this.lock.tryAcquire(definition.sync);
    if (!lock) {
      const running = await this.store.findRunning(definition.sync);
      throw DeltaSyncErrors.alreadyRunning(definition.sync, running?.id ?? null);
    }
    let run: DeltaSyncRun;
    try {
      const now = new Date();
      const abandoned = await this.store.failAbandoned(definition.sync, now);
      if (abandoned > 0) {
        this.logger.warn(
          { sync: definition.sync, abandoned },
          'marked sync runs of a stopped instance failed',
        );
      }
      run = {
        id: randomUUID(),
        sync: definition.sync,
        trigger: options.trigger,
        status: 'running',
        feed: definition.feedName,
        full: options.full === true,
        streams: Object.fromEntries(definition.streams.map((s) => [s.name, emptyStreamCounts()])),
        startedAt: now,
        finishedAt: null,
        durationMs: null,
        error: null,
        correlationId: CorrelationContext.current() ?? null,
      };
      await this.store.saveRun(run);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const started = structuredClone(run);
    const work = this.execute(definition, run, options.full === true).finally(() =>
      // Closing the lock's own connection cannot fail the run; PostgreSQL drops it regardless.
      lock
        .release()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'closing the delta-sync lock connection failed'),
        ),
    );
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    if (options.wait) return work;
    // Background: the caller has the run id; a crash is logged, and the run row is failed by the
    // next run (failAbandoned) if it could not record the failure itself.
    void work.catch((error: unknown) =>
      this.logger.error({ err: error, syncRunId: run.id, sync: run.sync }, 'sync crashed'),
    );
    return started;
  }

  findRun(sync: string, id: string): Promise<DeltaSyncRun | null> {
    return this.store.findRun(sync, id);
  }

  /**
   * A sync's runs, newest first, keyset-paged. The cursor is opaque (base64url JSON of the last
   * run's start and id); anything this method did not issue is INVALID_CURSOR (400).
   */
  async listRuns(
    sync: string,
    input: { cursor?: string; limit: number },
  ): Promise<DeltaSyncRunPage> {
    const after = input.cursor === undefined ? null : decodeRunCursor(input.cursor);
    const rows = await this.store.listRuns(sync, after, input.limit + 1);
    const items = rows.slice(0, input.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > input.limit && last
          ? Buffer.from(
              JSON.stringify({ t: last.startedAt.toISOString(), i: last.id }),
              'utf8',
            ).toString('base64url')
          : null,
    };
  }

  /**
   * Shutdown: stop running syncs after their current page and wait for them, before the
   * DataSource closes. Bounded: a feed that ignores the abort signal cannot hang the shutdown.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), SHUTDOWN_WAIT_MS);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn({ waitedMs: SHUTDOWN_WAIT_MS }, 'a sync was still running at shutdown');
    }
  }

  private async execute(
    definition: DeltaSyncDefinition,
    run: DeltaSyncRun,
    full: boolean,
  ): Promise<DeltaSyncRun> {
    const signal = this.stopping.signal;
    this.logger.info(
      { syncRunId: run.id, sync: run.sync, feed: run.feed, trigger: run.trigger, full },
      `${run.sync} sync started`,
    );
    for (const stream of definition.streams) {
      const counts = run.streams[stream.name];
      if (signal.aborted) {
        counts.error = STOPPED;
        continue;
      }
      try {
        await this.syncStream(definition, stream, run, full, signal);
      } catch (error) {
        counts.error = error instanceof Error ? error.message : String(error);
        this.logger.error(
          { err: error, syncRunId: run.id, sync: run.sync, stream: stream.name, feed: run.feed },
          '%s sync of %s failed; it resumes from the last committed page next run',
          run.sync,
          stream.name,
        );
      }
    }
    const failed = definition.streams.filter((s) => run.streams[s.name].error !== null);
    run.finishedAt = new Date();
    run.durationMs = run.finishedAt.getTime() - run.startedAt.getTime();
    const invalid = definition.streams.reduce((n, s) => n + run.streams[s.name].invalid, 0);
    run.status = finishedRunStatus(failed.length, invalid);
    run.error =
      failed.length === 0
        ? null
        : failed.map((s) => `${s.name}: ${run.streams[s.name].error}`).join('; ');
    await this.store.saveRun(run);
    recordSyncRun(this.metrics, {
      sync: run.sync,
      feed: run.feed,
      status: run.status,
      invalidByKind: Object.fromEntries(
        definition.streams.map((s) => [s.name, run.streams[s.name].invalid]),
      ),
    });
    this.logger.info(
      {
        syncRunId: run.id,
        sync: run.sync,
        status: run.status,
        durationMs: run.durationMs,
        streams: run.streams,
      },
      `${run.sync} sync finished`,
    );
    if (definition.afterRun) {
      await definition
        .afterRun(run)
        .catch((error: unknown) =>
          this.logger.error({ err: error, syncRunId: run.id }, `after ${run.sync} sync failed`),
        );
    }
    return run;
  }

  private async syncStream(
    definition: DeltaSyncDefinition,
    stream: DeltaStream,
    run: DeltaSyncRun,
    full: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const counts = run.streams[stream.name];
    const watermarkKey = `${definition.sync}:${stream.name}`;
    const stored = full ? null : await this.store.readWatermark(watermarkKey);
    const since = startingPoint(stored, definition);
    // A pass from the beginning sees every record the source still has: the rest are gone.
    const seen = since === null ? new Set<string>() : null;
    const started = Date.now();
    let cursor: string | null = null;
    let highest: DeltaPosition | null = null;
    let warnedOrder = false;
    let total: number | undefined;
    do {
      if (signal.aborted) throw new Error(STOPPED);
      const page: DeltaPage<unknown> = checkPage(
        await stream.read({ since, cursor, pageSize: definition.pageSize, signal }),
        cursor,
      );
      const classified: ClassifiedPage<unknown> = classifyDeltaEntries(
        stream,
        page.records,
        highest,
      );
      if (classified.outOfOrder && !warnedOrder) {
        warnedOrder = true;
        this.logger.warn(
          { syncRunId: run.id, stream: watermarkKey, feed: run.feed },
          'the feed returned records out of modifiedAt order',
        );
      }
      if (
        classified.highest &&
        (!highest || compareDeltaPositions(classified.highest, highest) > 0)
      ) {
        highest = classified.highest;
      }
      for (const id of classified.seen) seen?.add(id);
      const { changes, deletions } = collapsePage(
        (record) => (stream.table ? stream.table.keyOf(record) : stream.writer.keyOf(record)),
        classified.changes,
        classified.deletions,
      );
      const position = highest;
      const result = await this.dataSource.transaction(async (manager) => {
        const written = await this.writePage(definition, stream, run.id, manager, {
          changes,
          deletions,
        });
        await this.recordRefused(definition.sync, stream.name, classified.refused, manager);
        if (position) {
          await this.store.advanceWatermark(manager, watermarkKey, definition.feedName, position);
        }
        return written;
      });
      if (definition.afterPage) {
        await definition
          .afterPage(stream.name, result)
          .catch((error: unknown) =>
            this.logger.error(
              { err: error, syncRunId: run.id, stream: watermarkKey },
              `after a ${run.sync} sync page failed`,
            ),
          );
      }
      counts.pages += 1;
      counts.read += page.records.length;
      for (const gap of page.degraded ?? []) {
        if (!counts.degraded.includes(gap)) counts.degraded.push(gap);
      }
      counts.upserted += result.upserted;
      counts.deleted += result.deleted;
      counts.unchanged += classified.changes.length - result.upserted;
      counts.invalid += classified.refused.length;
      total = page.totalEstimate ?? total;
      this.logProgress(run, stream.name, counts, total, started);
      await this.store.saveRun(run);
      cursor = page.nextCursor;
    } while (cursor !== null);
    if (seen && stream.table) {
      const table = stream.table;
      const swept = await this.dataSource.transaction(async (manager) =>
        sweepUnseenRecords(
          table,
          [...seen],
          await this.writeContext(manager, definition.sync, stream.name, run.id),
        ),
      );
      counts.deleted += swept;
      if (swept > 0) {
        this.logger.info(
          { syncRunId: run.id, stream: watermarkKey, removed: swept },
          'removed records the feed no longer returns',
        );
      }
    }
  }

  /** The page's writes: into the stream's DeltaTable, or through the stream's own writer. */
  private async writePage(
    definition: DeltaSyncDefinition,
    stream: DeltaStream,
    runId: string,
    manager: EntityManager,
    page: { changes: AcceptedChange<unknown>[]; deletions: AcceptedDeletion[] },
  ): Promise<DeltaWriteResult> {
    if (stream.writer) {
      return stream.writer.write({
        manager,
        sync: definition.sync,
        stream: stream.name,
        runId,
        ...page,
      });
    }
    const ctx = await this.writeContext(manager, definition.sync, stream.name, runId);
    const deleted = await deleteDeltaRecords(stream.table, page.deletions, ctx);
    const upserted = await upsertDeltaRecords(stream.table, page.changes, ctx);
    await definition.alsoInTransaction?.(manager, ctx.changeSeq);
    return { deleted, upserted };
  }

  private async writeContext(
    manager: EntityManager,
    sync: string,
    stream: string,
    runId: string,
  ): Promise<WriteContext> {
    return { manager, sync, stream, runId, changeSeq: await nextChangeSeq(manager, sync) };
  }

  private async recordRefused(
    sync: string,
    stream: string,
    refused: RefusedEntry[],
    manager: EntityManager,
  ): Promise<void> {
    for (const entry of refused) {
      await this.exceptions.record(
        {
          type: DELTA_RECORD_INVALID_EXCEPTION,
          source: `${sync}:${stream}`,
          reference: entry.sourceId,
          payload: entry.payload,
          error: { name: 'InvalidSyncRecord', message: entry.reason, code: 'RECORD_INVALID' },
          // The same bad record read again (overlap window, re-sync) updates its open exception.
          ...(entry.sourceId !== null
            ? { dedupeKey: `${DELTA_RECORD_INVALID_EXCEPTION}:${sync}:${stream}:${entry.sourceId}` }
            : {}),
        },
        { manager },
      );
    }
  }

  private logProgress(
    run: DeltaSyncRun,
    stream: string,
    counts: DeltaStreamCounts,
    total: number | undefined,
    started: number,
  ): void {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    this.logger.info(
      {
        syncRunId: run.id,
        sync: run.sync,
        stream,
        page: counts.pages,
        done: counts.read,
        total: total ?? null,
        recordsPerSecond: Math.round((counts.read / seconds) * 10) / 10,
        upserted: counts.upserted,
        unchanged: counts.unchanged,
        deleted: counts.deleted,
        invalid: counts.invalid,
      },
      total === undefined
        ? `${run.sync} sync ${stream}: ${counts.read} records`
        : `${run.sync} sync ${stream}: ${counts.read} / ${total} records`,
    );
  }
}

/**
 * Where a pass starts: the watermark minus the overlap window, because a source transaction can
 * commit a row stamped earlier than rows the last pass already saw; `sourceId: ''` re-reads
 * everything at that instant. Another feed's watermark means nothing here: start over.
 */
function startingPoint(
  stored: StoredWatermark | null,
  definition: DeltaSyncDefinition,
): DeltaWatermark | null {
  if (!stored || stored.feed !== definition.feedName) return null;
  return {
    modifiedAt: new Date(stored.modifiedAt.getTime() - definition.lagSeconds * 1000).toISOString(),
    sourceId: '',
  };
}

/** Holds the adapter to the page shape the ports promise, so a bug fails loudly, not silently. */
function checkPage(page: DeltaPage<unknown>, cursor: string | null): DeltaPage<unknown> {
  if (typeof page !== 'object' || page === null || !Array.isArray(page.records)) {
    throw new Error('The feed returned a page without a records array.');
  }
  if (page.nextCursor !== null && typeof page.nextCursor !== 'string') {
    throw new Error('The feed returned a nextCursor that is neither a string nor null.');
  }
  if (cursor !== null && page.nextCursor === cursor) {
    throw new Error('The feed returned the cursor it was given: the pass would never end.');
  }
  return page;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function decodeRunCursor(cursor: string): { startedAt: Date; id: string } {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw DeltaSyncErrors.invalidCursor();
  }
  const c = decoded as { t?: unknown; i?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.t !== 'string' || typeof c.i !== 'string') {
    throw DeltaSyncErrors.invalidCursor();
  }
  const startedAt = new Date(c.t);
  // Round-trips only for an instant this method wrote: no 2026-02-30 reaches PostgreSQL.
  if (
    !ISO_INSTANT.test(c.t) ||
    Number.isNaN(startedAt.getTime()) ||
    startedAt.toISOString() !== c.t ||
    !UUID.test(c.i)
  ) {
    throw DeltaSyncErrors.invalidCursor();
  }
  return { startedAt, id: c.i };
}
