import { Orders1764700000000 } from './infrastructure/migrations/1764700000000-orders.js';
import { OrderFulfillment1765400000000 } from './infrastructure/migrations/1765400000000-order-fulfillment.js';

/** The public API of the orders module: other modules and ERP adapters import only this. */
export { OrdersModule } from './orders.module.js';

// The ERP port and its contract (ERP adapters implement it).
export {
  ERP_ORDER_STATES,
  SalesOrderGateway,
  SalesOrderNotCancellableError,
  SalesOrderRejectedError,
  type ErpOrderState,
  type ErpOrderStatus,
  type ErpSalesOrderDocument,
  type ErpSalesOrderLine,
  type ErpShipTo,
  type SubmitResult,
} from './application/ports/sales-order.gateway.js';
export {
  ERP_ORDER_SNAPSHOT_STATES,
  SalesOrderChangeFeed,
  type ErpOrderSnapshot,
  type ErpOrderSnapshotLine,
  type ErpOrderSnapshotState,
} from './application/ports/sales-order-change.feed.js';

// The back-flow's way into orders (fulfillment module, ERP-side changes).
export {
  OrderFulfillment,
  QuantitiesDoNotClearError,
  type FulfillmentLine,
  type FulfillmentOrder,
  type FulfillmentOrderKey,
  type FulfillmentSegment,
  type LineQuantityChange,
  type QuantityChange,
  type QuantityChangeResult,
} from './application/order-fulfillment.service.js';
export { CHANGE_SOURCES, type ChangeSource } from './domain/order.js';
export {
  OrderDocumentsReader,
  type OrderDocuments,
  type OrderInvoiceSummary,
  type OrderShipmentSummary,
} from './application/ports/order-documents.reader.js';

// Job names and exception types (operations, tests).
export {
  CANCEL_FAILED_EXCEPTION,
  CANCEL_SEGMENT_JOB,
  POST_SEGMENT_JOB,
  POSTING_FAILED_EXCEPTION,
} from './application/commands/post-order/post-order.jobs.js';
export {
  ERP_ORDER_CHANGE_EXCEPTION,
  ORDER_CHANGES_SYNC_JOB,
} from './application/commands/apply-erp-order-changes/erp-order-change.applier.js';
export {
  ORDER_CHANGES_SYNC,
  SyncOrderChangesCommand,
} from './application/commands/apply-erp-order-changes/sync-order-changes.command.js';
export { ORDER_STATUSES, SEGMENT_STATUSES, type OrderStatus } from './domain/order.js';
export { ORDER_VIOLATION_CODES, type OrderViolationCode } from './domain/order-violation.js';

/** This module's schema migrations, assembled into the hub list by src/migrations.ts. */
export const ordersMigrations = [Orders1764700000000, OrderFulfillment1765400000000];
