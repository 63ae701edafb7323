import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../../../config/index.js';
import {
  type DeltaSyncDefinition,
  type DeltaSyncRun,
  DeltaSyncService,
} from '../../../../../platform/delta-sync/index.js';
import { checkInventoryBalance } from '../../../domain/inventory-balance.js';
import { ERP_BALANCE_TABLE } from '../../../infrastructure/erp-balance.table.js';
import { PendingAllocations } from '../../../infrastructure/pending-allocations.js';
import { queryRows } from '../../../infrastructure/sql.js';
import { InventoryErrors } from '../../inventory.errors.js';
import { InventoryFeed } from '../../ports/inventory.feed.js';
import { BalancesApplier } from './balances.applier.js';
import { BALANCES_STREAM, INVENTORY_SYNC, SyncInventoryCommand } from './sync-inventory.command.js';

interface WrittenBalance {
  sku: string;
  warehouse_code: string;
  lot_no: string;
  expiry_date: string | null;
  on_hand: string;
  allocated: string;
  source_id: string;
  source_modified_at: Date;
}

/**
 * The inventory sync on the generic delta-sync runner: the runner pages the feed, checks every
 * balance, keeps the hub's copy (inv_erp_balance, only rows whose figures changed are written)
 * and the watermark; in the same page transaction this handler applies the rows the page wrote
 * to the positions. After a successful pass, handed-over allocations the pass has seen are
 * dropped (PendingAllocations).
 */
@CommandHandler(SyncInventoryCommand)
export class SyncInventoryHandler implements ICommandHandler<SyncInventoryCommand> {
  constructor(
    // Optional until ErpAdapterModule binds an adapter: without one, a sync answers 503.
    @Optional() @Inject(InventoryFeed) private readonly feed: InventoryFeed | null,
    private readonly deltaSync: DeltaSyncService,
    private readonly balances: BalancesApplier,
    private readonly pending: PendingAllocations,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SyncInventoryHandler.name);
  }

  execute(command: SyncInventoryCommand): Promise<DeltaSyncRun> {
    const feed = this.feed;
    if (!feed) throw InventoryErrors.erpAdapterUnavailable();
    const lagSeconds = this.config.inventory.syncLagSeconds;
    const definition: DeltaSyncDefinition = {
      sync: INVENTORY_SYNC,
      feedName: feed.name,
      pageSize: this.config.inventory.syncPageSize,
      lagSeconds,
      streams: [
        {
          name: BALANCES_STREAM,
          read: (request) => feed.readBalances(request),
          check: checkInventoryBalance,
          table: ERP_BALANCE_TABLE,
        },
      ],
      alsoInTransaction: (manager, changeSeq) => this.applyPage(manager, feed.name, changeSeq),
      afterRun: async (run) => {
        // Refused records do not stop the pass: only a failed run has not read to the end.
        if (run.status === 'failed' || run.status === 'running') return;
        // The pass read every ERP change up to its start, less the window for late commits.
        const seenThrough = new Date(run.startedAt.getTime() - lagSeconds * 1000);
        const absorbed = await this.pending.absorb(seenThrough);
        if (absorbed > 0) {
          this.logger.info(
            { syncRunId: run.id, absorbed },
            'handed-over allocations now reported by the ERP',
          );
        }
      },
    };
    return this.deltaSync.start(definition, {
      trigger: command.trigger,
      wait: command.wait,
      full: command.full,
    });
  }

  /** The balances this page wrote (new or changed figures), applied to lots and positions. */
  private async applyPage(
    manager: EntityManager,
    feedName: string,
    changeSeq: string,
  ): Promise<void> {
    const rows = await queryRows<WrittenBalance>(
      manager,
      `SELECT sku, warehouse_code, lot_no, to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date,
              on_hand, allocated, source_id, source_modified_at
         FROM inv_erp_balance WHERE change_seq = $1 AND NOT deleted`,
      [changeSeq],
    );
    await this.balances.apply(
      manager,
      feedName,
      rows.map((r) => ({
        sourceId: r.source_id,
        modifiedAt: r.source_modified_at.getTime(),
        balance: {
          sku: r.sku,
          warehouse: r.warehouse_code,
          lot: r.lot_no,
          expiryDate: r.expiry_date,
          onHand: r.on_hand,
          allocated: r.allocated,
        },
      })),
    );
  }
}
