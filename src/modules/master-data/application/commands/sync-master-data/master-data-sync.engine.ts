import { Injectable } from '@nestjs/common';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../../../config/index.js';
import { ExceptionsService } from '../../../../../platform/exceptions/index.js';
import {
  finishedRunStatus,
  MetricsService,
  recordSyncRun,
} from '../../../../../platform/metrics/index.js';
import { ChangeRelayJob } from '../../governance/change-relay.job.js';
import { MASTER_DATA_KINDS, type MasterDataKind } from '../../../domain/master-data-kind.js';
import type { EntitySyncCounts, SyncRun } from '../../../domain/sync-run.js';
import {
  MasterDataPageStore,
  type StoredWatermark,
} from '../../../infrastructure/master-data-page.store.js';
import { SyncRunRepository } from '../../../infrastructure/sync-run.repository.js';
import type {
  FeedPage,
  FeedReadRequest,
  MasterDataFeed,
  Watermark,
} from '../../ports/master-data.feed.js';
import {
  classifyEntries,
  type ClassifiedPage,
  comparePositions,
  type FeedPosition,
  type RefusedEntry,
} from './feed-entry.classifier.js';

export const RECORD_INVALID_EXCEPTION = 'sync.record_invalid';
const STOPPED = 'Stopped: the instance is shutting down.';

const READERS: {
  [K in MasterDataKind]: (
    feed: MasterDataFeed,
    request: FeedReadRequest,
  ) => Promise<FeedPage<unknown>>;
} = {
  customers: (feed, request) => feed.readCustomers(request),
  items: (feed, request) => feed.readItems(request),
  warehouses: (feed, request) => feed.readWarehouses(request),
};

/**
 * Runs one master-data sync: for each kind, one pass over the feed's changes since the stored
 * watermark (minus the overlap window), page by page, each page committed with its watermark.
 * A kind that fails stops there (what was committed stays) and the next kind still runs.
 */
@Injectable()
export class MasterDataSyncEngine {
  constructor(
    private readonly writer: MasterDataPageStore,
    private readonly runs: SyncRunRepository,
    private readonly exceptions: ExceptionsService,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly changeRelay: ChangeRelayJob,
    private readonly metrics: MetricsService,
  ) {
    this.logger.setContext(MasterDataSyncEngine.name);
  }

  /** Mutates and returns `run`, saving it after every page so GET /runs shows progress. */
  async run(feed: MasterDataFeed, run: SyncRun, signal: AbortSignal): Promise<SyncRun> {
    this.logger.info(
      { syncRunId: run.id, feed: feed.name, trigger: run.trigger },
      'master-data sync started',
    );
    for (const kind of MASTER_DATA_KINDS) {
      const counts = run.entities[kind];
      if (signal.aborted) {
        counts.error = STOPPED;
        continue;
      }
      try {
        await this.syncKind(feed, kind, run, signal);
      } catch (error) {
        counts.error = error instanceof Error ? error.message : String(error);
        this.logger.error(
          { err: error, syncRunId: run.id, kind, feed: feed.name },
          'master-data sync of %s failed; it resumes from the last committed page next run',
          kind,
        );
      }
    }
    const failed = MASTER_DATA_KINDS.filter((kind) => run.entities[kind].error !== null);
    run.finishedAt = new Date();
    run.durationMs = run.finishedAt.getTime() - run.startedAt.getTime();
    const invalid = MASTER_DATA_KINDS.reduce((n, kind) => n + run.entities[kind].invalid, 0);
    run.status = finishedRunStatus(failed.length, invalid);
    run.error =
      failed.length === 0
        ? null
        : failed.map((kind) => `${kind}: ${run.entities[kind].error}`).join('; ');
    await this.runs.save(run);
    recordSyncRun(this.metrics, {
      sync: 'master-data',
      feed: run.feed,
      status: run.status,
      invalidByKind: Object.fromEntries(
        MASTER_DATA_KINDS.map((kind) => [kind, run.entities[kind].invalid]),
      ),
    });
    this.logger.info(
      {
        syncRunId: run.id,
        status: run.status,
        durationMs: run.durationMs,
        entities: run.entities,
      },
      'master-data sync finished',
    );
    return run;
  }

  private async syncKind(
    feed: MasterDataFeed,
    kind: MasterDataKind,
    run: SyncRun,
    signal: AbortSignal,
  ): Promise<void> {
    const counts = run.entities[kind];
    const stored = await this.writer.readWatermark(kind);
    const since = this.startingPoint(stored, feed);
    const pageSize = this.config.masterDataSync.pageSize;
    const started = Date.now();
    let cursor: string | null = null;
    let highest: FeedPosition | null = null;
    let warnedOrder = false;
    let total: number | undefined;
    do {
      if (signal.aborted) throw new Error(STOPPED);
      const page: FeedPage<unknown> = checkPage(
        await READERS[kind](feed, { since, cursor, pageSize, signal }),
        cursor,
      );
      const classified: ClassifiedPage<MasterDataKind> = classifyEntries(
        kind,
        page.records,
        highest,
      );
      if (classified.outOfOrder && !warnedOrder) {
        warnedOrder = true;
        this.logger.warn(
          { syncRunId: run.id, kind, feed: feed.name },
          'the feed returned records out of modifiedAt order (MasterDataFeed rule 2)',
        );
      }
      if (classified.highest && (!highest || comparePositions(classified.highest, highest) > 0)) {
        highest = classified.highest;
      }
      const result = await this.writer.writePage({
        kind,
        feed: feed.name,
        records: classified.valid,
        watermark: highest,
        alsoInTransaction: (manager) => this.recordRefused(kind, classified.refused, manager),
      });
      // The page's changes are in the audit trail: have them published as events soon.
      if (result.upserted > 0) await this.changeRelay.kick();
      counts.pages += 1;
      counts.read += page.records.length;
      for (const gap of page.degraded ?? []) {
        if (!counts.degraded.includes(gap)) counts.degraded.push(gap);
      }
      counts.upserted += result.upserted;
      counts.unchanged += result.unchanged;
      counts.invalid += classified.refused.length;
      total = page.totalEstimate ?? total;
      this.logProgress(run, kind, counts, total, started);
      await this.runs.save(run);
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  /**
   * Where a pass starts. The watermark minus the overlap window, because an ERP transaction can
   * commit a row stamped earlier than rows the last pass already saw; `sourceId: ''` re-reads
   * everything at that instant. Another adapter's watermark means nothing here: start over.
   */
  private startingPoint(stored: StoredWatermark | null, feed: MasterDataFeed): Watermark | null {
    if (!stored || stored.feed !== feed.name) return null;
    const lagMs = this.config.masterDataSync.lagSeconds * 1000;
    return {
      modifiedAt: new Date(stored.modifiedAt.getTime() - lagMs).toISOString(),
      sourceId: '',
    };
  }

  private async recordRefused(
    kind: MasterDataKind,
    refused: RefusedEntry[],
    manager: EntityManager,
  ): Promise<void> {
    for (const entry of refused) {
      await this.exceptions.record(
        {
          type: RECORD_INVALID_EXCEPTION,
          source: `master-data:${kind}`,
          reference: entry.sourceId,
          payload: entry.payload,
          error: { name: 'InvalidMasterDataRecord', message: entry.reason, code: 'RECORD_INVALID' },
          // The same bad record read again (overlap window, re-sync) updates its open exception.
          ...(entry.sourceId !== null
            ? { dedupeKey: `${RECORD_INVALID_EXCEPTION}:${kind}:${entry.sourceId}` }
            : {}),
        },
        { manager },
      );
    }
  }

  private logProgress(
    run: SyncRun,
    kind: MasterDataKind,
    counts: EntitySyncCounts,
    total: number | undefined,
    started: number,
  ): void {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    this.logger.info(
      {
        syncRunId: run.id,
        kind,
        page: counts.pages,
        done: counts.read,
        total: total ?? null,
        recordsPerSecond: Math.round((counts.read / seconds) * 10) / 10,
        upserted: counts.upserted,
        unchanged: counts.unchanged,
        invalid: counts.invalid,
      },
      total === undefined
        ? `master-data sync ${kind}: ${counts.read} records`
        : `master-data sync ${kind}: ${counts.read} / ${total} records`,
    );
  }
}

/** Holds the adapter to the page shape the port promises, so a bug fails loudly, not silently. */
function checkPage(page: FeedPage<unknown>, cursor: string | null): FeedPage<unknown> {
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
