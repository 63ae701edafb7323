import { Module } from '@nestjs/common';
import { DeltaSyncModule } from '../../platform/delta-sync/index.js';
import { ApplyStockEventsHandler } from './application/commands/apply-stock-events/apply-stock-events.handler.js';
import { StockEventsApplier } from './application/commands/apply-stock-events/stock-events.applier.js';
import {
  GetChannelRuleHandler,
  ResetChannelRuleHandler,
  SetChannelRuleHandler,
} from './application/commands/channel-rules/channel-rule.handlers.js';
import {
  ConfirmErpAllocationHandler,
  ConsumeShippedHandler,
  ReleaseErpAllocationHandler,
  ReleaseErpAllocationPartHandler,
  SettleErpReleaseHandler,
  ExpireReservationsHandler,
  ReleaseReservationHandler,
} from './application/commands/close-reservation/close-reservation.handlers.js';
import { ReservationCloser } from './application/commands/close-reservation/reservation-closer.js';
import { ReserveStockHandler } from './application/commands/reserve-stock/reserve-stock.handler.js';
import { SetSafetyStockHandler } from './application/commands/safety-stock/set-safety-stock.handler.js';
import { BalancesApplier } from './application/commands/sync-inventory/balances.applier.js';
import {
  GetInventorySyncRunHandler,
  ListInventorySyncRunsHandler,
} from './application/commands/sync-inventory/get-inventory-sync-run.query.js';
import { SyncInventoryHandler } from './application/commands/sync-inventory/sync-inventory.handler.js';
import { ChannelRules } from './application/channel-rules.js';
import { InventoryJobs } from './application/inventory.jobs.js';
import { InventoryService } from './application/inventory.service.js';
import { GetAvailabilityHandler } from './application/queries/get-availability/get-availability.handler.js';
import { GetReservationsHandler } from './application/queries/get-reservations/get-reservations.handler.js';
import { StockCatalog } from './application/stock-catalog.js';
import { InventoryAdminController } from './http/inventory-admin.controller.js';
import { InventoryController } from './http/inventory.controller.js';
import { AvailabilityOutbox } from './infrastructure/availability.outbox.js';
import { ChannelRuleStore } from './infrastructure/channel-rule.store.js';
import { PendingAllocations } from './infrastructure/pending-allocations.js';
import { PositionStore } from './infrastructure/position.store.js';
import { ReservationStore } from './infrastructure/reservation.store.js';

const commandHandlers = [
  ApplyStockEventsHandler,
  ReserveStockHandler,
  ReleaseReservationHandler,
  ConfirmErpAllocationHandler,
  ReleaseErpAllocationHandler,
  ReleaseErpAllocationPartHandler,
  ConsumeShippedHandler,
  SettleErpReleaseHandler,
  ExpireReservationsHandler,
  SetChannelRuleHandler,
  ResetChannelRuleHandler,
  SetSafetyStockHandler,
  SyncInventoryHandler,
];
const queryHandlers = [
  GetAvailabilityHandler,
  GetReservationsHandler,
  GetChannelRuleHandler,
  GetInventorySyncRunHandler,
  ListInventorySyncRunsHandler,
];
const repositories = [
  PositionStore,
  ReservationStore,
  ChannelRuleStore,
  PendingAllocations,
  AvailabilityOutbox,
];
const services = [
  StockEventsApplier,
  BalancesApplier,
  ReservationCloser,
  ChannelRules,
  StockCatalog,
  InventoryJobs,
  InventoryService,
];

/**
 * Inventory: positions per item × warehouse (× lot), available-to-promise per channel,
 * reservations that never oversell, stock events applied once and in source order, and the
 * ERP balance sync. Its tables are written with plain SQL (conditional updates, row locks),
 * so it registers no TypeORM entities.
 *
 * The ERP port InventoryFeed is NOT provided here: ErpAdapterModule provides and exports it.
 * Until one does, an inventory sync answers 503.
 */
@Module({
  imports: [DeltaSyncModule],
  controllers: [InventoryController, InventoryAdminController],
  providers: [...commandHandlers, ...queryHandlers, ...repositories, ...services],
  exports: [InventoryService],
})
export class InventoryModule {}
