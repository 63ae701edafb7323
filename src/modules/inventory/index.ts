import { Inventory1764400800000 } from './infrastructure/migrations/1764400800000-inventory.js';
import { InventoryPendingRelease1765101200000 } from './infrastructure/migrations/1765101200000-inventory-pending-release.js';

/** The public API of the inventory module: other modules and ERP adapters import only this. */
export { InventoryModule } from './inventory.module.js';

// The facade for other modules (order capture): reserve, release, hand over, availability.
export { InventoryService } from './application/inventory.service.js';
export type {
  ReserveStockInput,
  ReservingChannel,
} from './application/commands/reserve-stock/reserve-stock.command.js';
export type {
  SkuAvailability,
  WarehouseAvailability,
} from './application/queries/get-availability/get-availability.query.js';
export type {
  StockEventResult,
  StockEventStatus,
} from './application/commands/apply-stock-events/apply-stock-events.command.js';
export type {
  ErpAllocationPart,
  PositionDemandView,
} from './application/commands/close-reservation/close-reservation.commands.js';
export { InventoryErrors, type Shortage } from './application/inventory.errors.js';
export {
  RESERVATION_STATUSES,
  type RequestedLine,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
} from './domain/reservation.js';

// Integration event (published on the EventBus from the outbox) and the channel view of it.
export {
  AVAILABILITY_CHANGED,
  AvailabilityChangedEvent,
  type AvailabilityChangedPayload,
} from './application/events/availability-changed.event.js';
export {
  BUFFER_TYPES,
  channelAvailable,
  defaultRuleFor,
  type ChannelAvailabilityRule,
  type ChannelBuffer,
} from './domain/channel-rule.js';

// The ERP port and its contract (ERP adapters implement it).
export { InventoryFeed } from './application/ports/inventory.feed.js';
export { checkInventoryBalance, type InventoryBalance } from './domain/inventory-balance.js';

// Use cases run through the buses, and the job names.
export {
  SyncInventoryCommand,
  INVENTORY_SYNC,
} from './application/commands/sync-inventory/sync-inventory.command.js';
export {
  INVENTORY_SYNC_JOB,
  RESERVATION_EXPIRY_JOB,
  STOCK_EVENT_PURGE_JOB,
} from './application/inventory.jobs.js';

/** This module's schema migrations, assembled into the hub list by src/migrations.ts. */
export const inventoryMigrations = [Inventory1764400800000, InventoryPendingRelease1765101200000];
