import { Fulfillment1765500000000 } from './infrastructure/migrations/1765500000000-fulfillment.js';

/** The public API of the fulfillment module: other modules and ERP adapters import only this. */
export { FulfillmentModule } from './fulfillment.module.js';

// The ERP ports and their contracts (ERP adapters implement them).
export { ShipmentFeed } from './application/ports/shipment.feed.js';
export { InvoiceFeed } from './application/ports/invoice.feed.js';
export {
  ShipmentGateway,
  ShipmentPostingUnsupportedError,
  ShipmentRejectedError,
} from './application/ports/shipment.gateway.js';
export {
  ERP_INVOICE_STATUSES,
  ERP_SHIPMENT_POSTING_STATES,
  SHIPMENT_SOURCES,
  type ErpInvoice,
  type ErpInvoiceLine,
  type ErpInvoiceStatus,
  type ErpShipment,
  type ErpShipmentDocument,
  type ErpShipmentDocumentLine,
  type ErpShipmentLine,
  type ErpShipmentPosting,
  type ErpShipmentPostingState,
  type ShipmentSource,
} from './domain/erp-fulfillment.js';

// Job names and exception types (operations, tests).
export {
  POST_SHIPMENT_JOB,
  SHIPMENT_POSTING_FAILED_EXCEPTION,
} from './application/commands/post-shipment/post-shipment.job.js';
export { FULFILLMENT_SYNC_JOB } from './application/fulfillment.jobs.js';
export {
  FULFILLMENT_SYNC,
  SyncFulfillmentCommand,
} from './application/commands/sync-fulfillment/sync-fulfillment.command.js';
export { ERP_SHIPMENT_EXCEPTION } from './application/commands/sync-fulfillment/erp-shipment.recorder.js';
export { ERP_INVOICE_EXCEPTION } from './application/commands/sync-fulfillment/erp-invoice.recorder.js';

/** This module's schema migrations, assembled into the hub list by src/migrations.ts. */
export const fulfillmentMigrations = [Fulfillment1765500000000];
