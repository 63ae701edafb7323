import { Command } from '@nestjs/cqrs';
import type { DeltaSyncRun, DeltaSyncTrigger } from '../../../../../platform/delta-sync/index.js';

/** The sync's name (runs, lock, watermark `order-changes:orders`): the ERP feed it reads. */
export const ORDER_CHANGES_SYNC = 'order-changes';
export const ORDER_CHANGES_STREAM = 'orders';

/**
 * Read ERP-side changes of the hub's posted orders from the bound SalesOrderChangeFeed and apply
 * them, then look up the hub's open posted orders (an ERP that deletes cancelled orders shows the
 * cancel only that way). With `wait` the result is the finished run, else the running run.
 */
export class SyncOrderChangesCommand extends Command<DeltaSyncRun> {
  constructor(
    readonly trigger: DeltaSyncTrigger,
    readonly wait: boolean,
  ) {
    super();
  }
}
