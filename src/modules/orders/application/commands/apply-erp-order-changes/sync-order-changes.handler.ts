import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import {
  type AcceptedChange,
  type DeltaSyncDefinition,
  type DeltaSyncRun,
  DeltaSyncService,
  type DeltaStreamWriter,
  type DeltaWriteResult,
} from '../../../../../platform/delta-sync/index.js';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import { OrderErrors } from '../../orders.errors.js';
import { ErpOrderChangesStore } from '../../../infrastructure/erp-order-changes.store.js';
import {
  type ErpOrderSnapshot,
  SalesOrderChangeFeed,
} from '../../ports/sales-order-change.feed.js';
import {
  ERP_ORDER_CHANGE_EXCEPTION,
  ErpOrderChangeApplier,
  type ErpChangeOutcome,
  ORDER_CHANGES_SYNC_JOB,
} from './erp-order-change.applier.js';
import { checkErpOrderSnapshot } from './erp-order-comparison.js';
import {
  ORDER_CHANGES_STREAM,
  ORDER_CHANGES_SYNC,
  SyncOrderChangesCommand,
} from './sync-order-changes.command.js';

/** SalesOrderChangeFeed.lookUp takes at most this many references per call. */
export const LOOK_UP_BATCH = 50;
const PAGE_SIZE = 100;
/** Overlap re-read by each pass (ERP rows committed late); re-applying a snapshot is a no-op. */
const LAG_SECONDS = 60;

/**
 * ERP-side order changes on the delta-sync runner: each page of snapshots is applied in the
 * page's own transaction (with its watermark), one order at a time in a savepoint, so one order
 * that cannot be applied is recorded as an exception without holding the others back. Then, in
 * the same run (under the sync's lock), the sweep: every open posted segment looked up in
 * batches, which is how a deleted (Business Central) order's cancel is seen.
 */
@CommandHandler(SyncOrderChangesCommand)
export class SyncOrderChangesHandler implements ICommandHandler<SyncOrderChangesCommand> {
  constructor(
    // Optional until an ERP adapter binds the feed: without one, a run answers 503.
    @Optional() @Inject(SalesOrderChangeFeed) private readonly feed: SalesOrderChangeFeed | null,
    private readonly deltaSync: DeltaSyncService,
    private readonly uow: UnitOfWork,
    private readonly applier: ErpOrderChangeApplier,
    private readonly store: ErpOrderChangesStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SyncOrderChangesHandler.name);
  }

  execute(command: SyncOrderChangesCommand): Promise<DeltaSyncRun> {
    const feed = this.feed;
    if (!feed) {
      throw OrderErrors.erpAdapterUnavailable();
    }
    const definition: DeltaSyncDefinition = {
      sync: ORDER_CHANGES_SYNC,
      feedName: feed.name,
      pageSize: PAGE_SIZE,
      lagSeconds: LAG_SECONDS,
      streams: [
        {
          name: ORDER_CHANGES_STREAM,
          read: (request) => feed.readChanges(request),
          check: checkErpOrderSnapshot,
          writer: this.writer() as DeltaStreamWriter<unknown>,
        },
      ],
      afterRun: async (run) => {
        const swept = await this.sweep(feed);
        this.logger.info(
          { syncRunId: run.id, ...swept },
          'open posted orders looked up in the ERP',
        );
      },
    };
    return this.deltaSync.start(definition, { trigger: command.trigger, wait: command.wait });
  }

  private writer(): DeltaStreamWriter<ErpOrderSnapshot> {
    return {
      keyOf: (snapshot) => snapshot.externalReference,
      // Deletions carry the ERP's id, not the hub's reference: the sweep sees those orders.
      write: (page) => this.uow.join(page.manager, () => this.applyPage(page.changes)),
    };
  }

  private async applyPage(
    changes: readonly AcceptedChange<ErpOrderSnapshot>[],
  ): Promise<DeltaWriteResult> {
    let upserted = 0;
    for (const change of changes) {
      const outcome = await this.applyOne(change.record);
      if (outcome === 'applied') upserted += 1;
    }
    return { upserted, deleted: 0 };
  }

  /**
   * One snapshot in a savepoint: a failure other than a refusal (which the applier records
   * itself) becomes an exception for operations instead of failing the page for every order.
   */
  private async applyOne(snapshot: ErpOrderSnapshot): Promise<ErpChangeOutcome | 'failed'> {
    try {
      return await this.uow.runInSavepoint(() => this.applier.apply(snapshot));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(
        { err: error, segment: snapshot.externalReference },
        'ERP-side order change could not be applied',
      );
      await this.store.recordException({
        type: ERP_ORDER_CHANGE_EXCEPTION,
        source: ORDER_CHANGES_SYNC_JOB,
        reference: snapshot.externalReference,
        payload: { snapshot },
        error: {
          name: error instanceof Error ? error.name : 'Error',
          message,
          code: 'ORDER.ERP_CHANGE_FAILED',
        },
        dedupeKey: `${ERP_ORDER_CHANGE_EXCEPTION}:${snapshot.externalReference}:ORDER.ERP_CHANGE_FAILED`,
      });
      return 'failed';
    }
  }

  /**
   * Looks up every segment the hub believes open in the ERP, LOOK_UP_BATCH at a time, and applies
   * what the ERP answers (NOT_FOUND included), each order in its own unit of work.
   */
  private async sweep(
    feed: SalesOrderChangeFeed,
  ): Promise<{ lookedUp: number; applied: number; invalid: number }> {
    const counts = { lookedUp: 0, applied: 0, invalid: 0 };
    let after: string | null = null;
    for (;;) {
      const refs = await this.store.openPostedReferences(after, LOOK_UP_BATCH);
      if (refs.length === 0) break;
      counts.lookedUp += refs.length;
      const wanted = new Set(refs);
      for (const answer of await feed.lookUp(refs)) {
        const checked = checkErpOrderSnapshot(answer);
        if (!checked.ok || !wanted.has(checked.value.externalReference)) {
          counts.invalid += 1;
          this.logger.warn(
            { answer, problems: checked.ok ? ['not asked for'] : checked.problems },
            'the ERP look-up answered an order snapshot the hub cannot use',
          );
          continue;
        }
        const outcome = await this.uow.run(() => this.applyOne(checked.value));
        if (outcome === 'applied') counts.applied += 1;
      }
      if (refs.length < LOOK_UP_BATCH) break;
      after = refs[refs.length - 1];
    }
    return counts;
  }
}
