import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/index.js';
import { scheduleDeltaSync } from '../../../platform/delta-sync/index.js';
import { JobsService } from '../../../platform/jobs/index.js';
import { ErpChangeTrigger } from '../../../platform/erp-changes/index.js';
import { ExpireReservationsCommand } from './commands/close-reservation/close-reservation.commands.js';
import { SyncInventoryCommand } from './commands/sync-inventory/sync-inventory.command.js';

export const INVENTORY_SYNC_JOB = 'inventory.sync';
export const RESERVATION_EXPIRY_JOB = 'inventory.expire-reservations';
export const STOCK_EVENT_PURGE_JOB = 'inventory.purge-stock-events';
/** Stock events are remembered at least this long, and as long as they can still matter. */
export const STOCK_EVENT_RETENTION_DAYS = 30;

/**
 * The inventory module's background work, as pg-boss jobs (one run per tick across instances):
 * the ERP balance sync (INVENTORY_SYNC_CRON), reservation expiry (every minute) and the purge of
 * stock events that can no longer matter (daily).
 */
@Injectable()
export class InventoryJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly commandBus: CommandBus,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly erpChanges: ErpChangeTrigger,
  ) {}

  onModuleInit(): void {
    scheduleDeltaSync(this.jobs, {
      job: INVENTORY_SYNC_JOB,
      cron: this.config.inventory.syncCron,
      label: 'inventory',
      run: () => this.commandBus.execute(new SyncInventoryCommand('schedule', true)),
      expireInSeconds: 3600,
    });
    this.erpChanges.register('inventory', INVENTORY_SYNC_JOB);

    this.jobs.register<null>({
      name: RESERVATION_EXPIRY_JOB,
      retryLimit: 1,
      concurrency: 1,
      handler: async (_payload, ctx) => {
        const expired = await this.commandBus.execute(new ExpireReservationsCommand());
        if (expired > 0) ctx.logger.info({ expired }, 'expired reservations released');
      },
    });
    this.jobs.schedule(RESERVATION_EXPIRY_JOB, '* * * * *');

    this.jobs.register<null>({
      name: STOCK_EVENT_PURGE_JOB,
      retryLimit: 2,
      retryDelaySeconds: 300,
      concurrency: 1,
      handler: async (_payload, ctx) => {
        const purged = await this.purgeStockEvents();
        ctx.logger.info({ purged }, 'stock events past retention purged');
      },
    });
    this.jobs.schedule(STOCK_EVENT_PURGE_JOB, '41 3 * * *');
  }

  /**
   * Forgets stock events older than the retention period that sit before their lot's last
   * snapshot. Only those: an event after the last snapshot may still be added back onto a
   * later snapshot. A forgotten event sent again is IGNORED by the ordering rules (it is before
   * the snapshot), so forgetting it changes no position.
   */
  async purgeStockEvents(): Promise<number> {
    const [row] = (await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM inv_stock_event e
          USING inv_lot l
          WHERE e.occurred_at < clock_timestamp() - $1 * interval '1 day'
            AND l.sku = e.sku AND l.warehouse_code = e.warehouse_code AND l.lot_no = e.lot_no
            AND l.snapshot_at IS NOT NULL
            AND (e.occurred_at, e.event_id) < (l.snapshot_at, l.snapshot_event_id)
          RETURNING 1)
       SELECT count(*)::int AS purged FROM gone`,
      [STOCK_EVENT_RETENTION_DAYS],
    )) as { purged: number }[];
    return row?.purged ?? 0;
  }
}
