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
