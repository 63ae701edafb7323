import { Command } from '@nestjs/cqrs';
import type { DeltaSyncRun, DeltaSyncTrigger } from '../../../../../platform/delta-sync/index.js';

/** The name of the pricing sync: its runs, lock, watermarks and exception sources. */
export const PRICING_SYNC = 'pricing';

/**
 * Pull price-data changes from the bound ERP adapter. `full` reads everything from the beginning
 * and removes what the ERP no longer has. With `wait` the result is the finished run (the price
 * cache already refreshed); without, the run goes on in the background. Fails at once with
 * SYNC_ALREADY_RUNNING (409) while any instance runs it, ERP_ADAPTER_UNAVAILABLE (503) when no
 * PriceDataFeed is bound.
 */
export class SyncPriceDataCommand extends Command<DeltaSyncRun> {
  constructor(
    readonly trigger: DeltaSyncTrigger,
    readonly wait: boolean,
    readonly full = false,
  ) {
    super();
  }
}
