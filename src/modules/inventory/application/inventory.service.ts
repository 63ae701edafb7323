import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { Reservation } from '../domain/reservation.js';
import { UnitOfWork } from '../../../platform/database/index.js';
import {
  ConfirmErpAllocationCommand,
  ConsumeShippedCommand,
  type ErpAllocationPart,
  type PositionDemandView,
  ReleaseErpAllocationPartCommand,
  ExpireReservationsCommand,
  ReleaseErpAllocationCommand,
  ReleaseReservationCommand,
  SettleErpReleaseCommand,
} from './commands/close-reservation/close-reservation.commands.js';
import {
  ApplyStockEventsCommand,
  type StockEventResult,
} from './commands/apply-stock-events/apply-stock-events.command.js';
import {
  type ReserveStockInput,
  ReserveStockCommand,
} from './commands/reserve-stock/reserve-stock.command.js';
import {
  GetAvailabilityQuery,
  type SkuAvailability,
} from './queries/get-availability/get-availability.query.js';
import { GetReservationsQuery } from './queries/get-reservations/get-reservations.query.js';

/**
 * The inventory module's public API for other modules (order capture, #7): reserve stock for an
 * order, release it, hand it over to the ERP's allocation, read availability. Every method is a
 * command or query on the buses; this facade only gives them one typed entry point.
 *
 * Methods that take `manager` run inside the caller's transaction (in a savepoint): the effect
 * holds only if the caller commits, and a refusal (INSUFFICIENT_STOCK, …) undoes only what this
 * call did, leaving the caller's transaction usable.
 */
@Injectable()
export class InventoryService {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Reserves every line or nothing. Fails with ApplicationError RESERVATION_INVALID (400),
   * WAREHOUSE_NOT_ALLOWED (422: the channel's rules), INSUFFICIENT_STOCK (409, `shortages` in
   * the extensions) or RESERVATION_EXISTS (409: the order already holds other stock). Calling it
   * again for the same order and lines returns the existing reservation.
   */
  reserve(
    input: ReserveStockInput,
    options: { manager?: EntityManager } = {},
  ): Promise<Reservation> {
    return this.commandBus.execute(new ReserveStockCommand(input, options.manager));
  }

  /** Releases the order's active reservation; null when it has none (releasing twice is safe). */
  release(
    orderId: string,
    reason = 'order cancelled',
    options: { manager?: EntityManager } = {},
  ): Promise<Reservation | null> {
    return this.commandBus.execute(new ReleaseReservationCommand(orderId, reason, options.manager));
  }

  /**
   * The ERP confirmed its own allocation of the order's stock: reserved moves to allocated
   * without a double count (see ConfirmErpAllocationCommand for `erpAllocatedAt`).
   */
  confirmErpAllocation(
    orderId: string,
    options: { erpAllocatedAt?: Date; manager?: EntityManager } = {},
  ): Promise<Reservation | null> {
    return this.commandBus.execute(
      new ConfirmErpAllocationCommand(orderId, options.erpAllocatedAt, options.manager),
    );
  }

  /**
   * A posted order was cancelled: the stock it handed over to the ERP is available again at
   * once (see ReleaseErpAllocationCommand). Null when it handed nothing over.
   */
  releaseErpAllocation(
    orderId: string,
    reason = 'posted order cancelled',
    options: { manager?: EntityManager } = {},
  ): Promise<Reservation | null> {
    return this.commandBus.execute(
      new ReleaseErpAllocationCommand(orderId, reason, options.manager),
    );
  }

  /**
   * Part of a posted order's stock is no longer needed by the ERP (it cut or cancelled lines
   * itself): taken out of the order's handed-over reservation and available again at once, added
   * to the position's pending release (per SKU × warehouse), which offsets the ERP's allocated
   * figure until a sync pass has read the ERP's balances up to `erpReleasedAt` (when the ERP
   * made the change; without it, until settleErpRelease). Never releases more than the
   * reservation still holds; answers what it released. Runs in the caller's unit of work
   * (UnitOfWork.run), in a savepoint.
   */
  releaseErpAllocationPart(
    orderId: string,
    lines: readonly ErpAllocationPart[],
    reason: string,
    options: { erpReleasedAt?: Date } = {},
  ): Promise<PositionDemandView[]> {
    return this.uow.run(() =>
      this.commandBus.execute(
        new ReleaseErpAllocationPartCommand(orderId, lines, reason, options.erpReleasedAt ?? null),
      ),
    );
  }

  /**
   * Shipped stock (base UoM, per SKU × warehouse) stops being counted as the order's: it leaves
   * the order's handed-over reservation, so a later cancel gives back only the unshipped rest.
   * Availability does not move, by design: after posting the stock is counted by the ERP's own
   * figures (allocated, or a pending allocation until a sync reads it); the WMS moving it off the
   * shelf changes nothing the hub counts, and when the ERP records the shipment (`erpRecordedAt`,
   * informational) its on hand and allocated drop together, which the next inventory sync reads.
   * Runs in the caller's unit of work (UnitOfWork.run), in a savepoint; answers what it took.
   */
  consumeShipped(
    orderId: string,
    lines: readonly ErpAllocationPart[],
    options: { erpRecordedAt?: Date } = {},
  ): Promise<PositionDemandView[]> {
    return this.uow.run(() =>
      this.commandBus.execute(
        new ConsumeShippedCommand(orderId, lines, options.erpRecordedAt ?? null),
      ),
    );
  }

  /** The ERP's answer to cancelling the order's allocation at a warehouse (SettleErpReleaseCommand). */
  settleErpRelease(
    orderId: string,
    warehouse: string,
    outcome: { cancelledAt: Date } | 'refused',
    options: { manager?: EntityManager } = {},
  ): Promise<void> {
    return this.commandBus.execute(
      new SettleErpReleaseCommand(orderId, warehouse, outcome, options.manager),
    );
  }

  /** Every reservation of an order, oldest first. */
  reservations(orderId: string): Promise<Reservation[]> {
    return this.queryBus.execute(new GetReservationsQuery(orderId));
  }

  /** ATP per SKU (per warehouse and total), after the channel's rules when one is given. */
  availability(
    skus: readonly string[],
    options: { warehouse?: string; channel?: { channelId: string; kind: string } } = {},
  ): Promise<SkuAvailability[]> {
    return this.queryBus.execute(
      new GetAvailabilityQuery(skus, options.warehouse, options.channel),
    );
  }

  /** Applies pushed stock events (as POST /v1/inventory/events does). */
  applyStockEvents(
    events: readonly unknown[],
    channelId: string | null = null,
  ): Promise<StockEventResult[]> {
    return this.commandBus.execute(new ApplyStockEventsCommand(events, channelId));
  }

  /** Releases every reservation past its TTL now (the job does this every minute). */
  expireReservations(): Promise<number> {
    return this.commandBus.execute(new ExpireReservationsCommand());
  }
}
