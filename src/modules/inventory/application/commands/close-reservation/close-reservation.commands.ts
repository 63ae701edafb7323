import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { Reservation } from '../../../domain/reservation.js';

/**
 * Release the order's ACTIVE reservation (order cancelled, or not going ahead): its stock is
 * available again. Null when the order holds no active reservation (already released, expired
 * or handed over: releasing twice gives back nothing twice).
 */
export class ReleaseReservationCommand extends Command<Reservation | null> {
  constructor(
    readonly orderId: string,
    readonly reason: string,
    readonly manager?: EntityManager,
  ) {
    super();
  }
}

/**
 * The ERP confirmed it allocated the order's stock itself: the reservation ends HANDED_OVER and
 * its quantity moves from reserved to allocated, so ATP does not change and nothing is counted
 * twice. The moved quantity stays "pending" until an inventory sync pass has read the ERP's
 * balances as of `erpAllocatedAt` (less the sync's overlap window); from then on the ERP's own
 * allocated figure includes it and the pending quantity is dropped.
 *
 * `erpAllocatedAt`: when the ERP allocated (its order creation time), when known; default now.
 * Too early a time could drop the pending quantity before the ERP reports it (overstating ATP
 * briefly); too late a time only keeps it counted twice a little longer (understating ATP).
 */
export class ConfirmErpAllocationCommand extends Command<Reservation | null> {
  constructor(
    readonly orderId: string,
    readonly erpAllocatedAt?: Date,
    readonly manager?: EntityManager,
  ) {
    super();
  }
}

/**
 * A posted order was cancelled: give back the stock its reservation handed over to the ERP
 * (HANDED_OVER → RELEASED) at once, as a pending release that offsets the ERP's allocated figure
 * until the ERP's cancel has been synced. Null when the order handed nothing over (or was
 * already released).
 */
export class ReleaseErpAllocationCommand extends Command<Reservation | null> {
  constructor(
    readonly orderId: string,
    readonly reason: string,
    readonly manager?: EntityManager,
  ) {
    super();
  }
}

/**
 * The ERP answered the cancel of an order's allocation at one warehouse: `{ cancelledAt }` (its
 * allocation ends then; the next sync pass that has read the ERP since drops the pending
 * release) or `refused` (the ERP keeps the order: the pending release is dropped now).
 */
export class SettleErpReleaseCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly warehouse: string,
    readonly outcome: { cancelledAt: Date } | 'refused',
    readonly manager?: EntityManager,
  ) {
    super();
  }
}

/** Expire ACTIVE reservations past their expiresAt; returns how many expired. */
export class ExpireReservationsCommand extends Command<number> {}

/** One position's share of an order, in the item's base UoM (decimal string). */
export interface ErpAllocationPart {
  sku: string;
  warehouse: string;
  baseQuantity: string;
}

/**
 * Part of a posted order's handed-over stock is no longer needed by the ERP (a line cut or
 * cancelled in the ERP): available again at once, as a pending release that ends with the first
 * sync pass that has read the ERP's balances up to `releasedAt` (null: until the ERP confirms, as
 * SettleErpReleaseCommand does). Runs in the caller's unit of work (UnitOfWork), in a savepoint.
 */
export class ReleaseErpAllocationPartCommand extends Command<PositionDemandView[]> {
  constructor(
    readonly orderId: string,
    readonly lines: readonly ErpAllocationPart[],
    readonly reason: string,
    readonly releasedAt: Date | null,
  ) {
    super();
  }
}

/**
 * Shipped stock stops being counted as the order's (see ReservationCloser.consumeHandedOver):
 * runs in the caller's unit of work, in a savepoint.
 */
export class ConsumeShippedCommand extends Command<PositionDemandView[]> {
  constructor(
    readonly orderId: string,
    readonly lines: readonly ErpAllocationPart[],
    readonly erpRecordedAt: Date | null,
  ) {
    super();
  }
}

/** What a partial release or consumption took, per position (base UoM, decimal string). */
export interface PositionDemandView {
  sku: string;
  warehouse: string;
  baseQuantity: string;
}
