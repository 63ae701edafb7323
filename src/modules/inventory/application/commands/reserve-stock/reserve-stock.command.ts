import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { RequestedLine, Reservation } from '../../../domain/reservation.js';

/** The channel an order came from: its rules decide which warehouses and how much. */
export interface ReservingChannel {
  channelId: string;
  /** Channel kind (`ecommerce`, `marketplace`, …): picks the default rule. */
  kind: string;
}

export interface ReserveStockInput {
  /** The hub order id; one ACTIVE reservation per order. */
  orderId: string;
  /** Base-UoM quantities per SKU and warehouse; lines of one position are added up. */
  lines: RequestedLine[];
  /** When given, its availability rules apply (warehouses, buffer). */
  channel?: ReservingChannel | null;
  /** Default INVENTORY_RESERVATION_TTL_SECONDS. */
  ttlSeconds?: number;
}

/**
 * Reserve every line or nothing (INSUFFICIENT_STOCK, 409, with each shortage). With `manager`
 * the reservation is part of the caller's transaction (in a savepoint, so a refusal leaves that
 * transaction usable); it then holds only if the caller commits.
 */
export class ReserveStockCommand extends Command<Reservation> {
  constructor(
    readonly input: ReserveStockInput,
    readonly manager?: EntityManager,
  ) {
    super();
  }
}
