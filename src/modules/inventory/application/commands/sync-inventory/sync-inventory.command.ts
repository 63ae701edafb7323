import { Command } from '@nestjs/cqrs';
import type { DeltaSyncRun, DeltaSyncTrigger } from '../../../../../platform/delta-sync/index.js';

/** The name of the inventory sync: its runs, lock, watermark (`inventory:balances`) and exceptions. */
export const INVENTORY_SYNC = 'inventory';
export const BALANCES_STREAM = 'balances';

/**
 * Pull ERP balance changes from the bound InventoryFeed and apply them to positions. With `wait`
 * the result is the finished run, else the running run. SYNC_ALREADY_RUNNING (409) while any
 * instance runs it; ERP_ADAPTER_UNAVAILABLE (503) without a bound feed.
 */
export class SyncInventoryCommand extends Command<DeltaSyncRun> {
  constructor(
    readonly trigger: DeltaSyncTrigger,
    readonly wait: boolean,
    /** Read every balance from the beginning (after an adapter switch or a suspected gap). */
    readonly full = false,
  ) {
    super();
  }
}
