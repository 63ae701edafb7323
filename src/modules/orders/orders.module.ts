import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { DeltaSyncModule } from '../../platform/delta-sync/index.js';
import { InventoryModule } from '../inventory/index.js';
import { ErpOrderChangeApplier } from './application/commands/apply-erp-order-changes/erp-order-change.applier.js';
import { OrderChangesJobs } from './application/commands/apply-erp-order-changes/order-changes.jobs.js';
import { SyncOrderChangesHandler } from './application/commands/apply-erp-order-changes/sync-order-changes.handler.js';
import { ErpOrderChangesStore } from './infrastructure/erp-order-changes.store.js';
import { CancelOrderHandler } from './application/commands/cancel-order/cancel-order.handler.js';
import { CaptureOrderHandler } from './application/commands/capture-order/capture-order.handler.js';
import { ReleaseOrderHandler } from './application/commands/release-order/release-order.handler.js';
import { OrderPlacement } from './application/order-placement.js';
import { OrderPlanner } from './application/order-planner.js';
import { OrdersMetrics } from './application/orders.metrics.js';
import { OrderPostingJobs } from './application/commands/post-order/post-order.jobs.js';
import { GetOrderHandler } from './application/queries/get-order/get-order.handler.js';
import { GetOrderHistoryHandler } from './application/queries/get-order-history/get-order-history.handler.js';
import { ListOrdersHandler } from './application/queries/list-orders/list-orders.handler.js';
import { OrdersController } from './http/orders.controller.js';
import { OrderChangesAdminController } from './http/order-changes-admin.controller.js';
import { loadOrderPolicies, OrderPolicies } from './infrastructure/order-policies.loader.js';
import { OrderStore } from './infrastructure/order.store.js';
import { OrderFulfillmentRepository } from './infrastructure/order-fulfillment.repository.js';
import { OrderFulfillment } from './application/order-fulfillment.service.js';

const commandHandlers = [
  CaptureOrderHandler,
  CancelOrderHandler,
  ReleaseOrderHandler,
  SyncOrderChangesHandler,
];
const queryHandlers = [GetOrderHandler, GetOrderHistoryHandler, ListOrdersHandler];
const repositories = [OrderStore, OrderFulfillmentRepository, ErpOrderChangesStore];

/**
 * Orders: capture (validate, price, place, reserve, queue) and exactly-once ERP posting through
 * the SalesOrderGateway port (bound by ErpAdapterModule), ERP-side changes read back through the
 * SalesOrderChangeFeed port (job `orders.erp-changes`), lifecycle and reads.
 */
@Module({
  imports: [InventoryModule, DeltaSyncModule],
  controllers: [OrdersController, OrderChangesAdminController],
  providers: [
    ...commandHandlers,
    ...queryHandlers,
    ...repositories,
    OrderPlanner,
    OrderPlacement,
    OrderPostingJobs,
    OrderFulfillment,
    ErpOrderChangeApplier,
    OrderChangesJobs,
    OrdersMetrics,
    {
      provide: OrderPolicies,
      inject: [AppConfig],
      // A bad policy file stops start-up with every problem named (like the SoR matrix).
      useFactory: (config: AppConfig) => loadOrderPolicies(config.orders.policyFile),
    },
  ],
  exports: [OrderFulfillment],
})
export class OrdersModule {}
