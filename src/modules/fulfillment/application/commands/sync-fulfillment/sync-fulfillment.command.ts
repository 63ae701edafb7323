import { Command } from '@nestjs/cqrs';
import type { DeltaSyncRun, DeltaSyncTrigger } from '../../../../../platform/delta-sync/index.js';

/** The name of the shipment/invoice sync: its runs, lock, watermarks and exceptions. */
export const FULFILLMENT_SYNC = 'fulfillment';
export const SHIPMENTS_STREAM = 'shipments';
export const INVOICES_STREAM = 'invoices';

/**
 * Read the ERP's posted shipments and invoices (ShipmentFeed, InvoiceFeed) and apply them to the
 * hub's orders. SYNC_ALREADY_RUNNING (409) while any instance runs it; ERP_ADAPTER_UNAVAILABLE
 * (503) without bound feeds.
 */
export class SyncFulfillmentCommand extends Command<DeltaSyncRun> {
  constructor(
    readonly trigger: DeltaSyncTrigger,
    readonly wait: boolean,
    readonly full = false,
  ) {
    super();
  }
}
