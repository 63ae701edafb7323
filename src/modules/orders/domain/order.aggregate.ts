import type { OrderStatus } from './order.js';
import { IllegalOrderTransitionError } from './order.errors.js';
import {
  type FulfillmentState,
  fulfillmentStateOf,
  type LineQuantities,
} from './order-line-quantities.js';

/** The statuses whose order is in the ERP: shipments and invoices move them. */
const FULFILLING = ['POSTED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED'] as const;

/*
 * The Order aggregate: the one place that decides which status change an order may make.
 *
 *   captured (RECEIVED) ──► accepted (ACCEPTED) ──► posting (POSTING) ──► posted (POSTED)
 *          │                    ▲      │                 │    ▲               │
 *          ▼                    │      │                 ▼    │               ▼
 *     held (ON_HOLD) ──release──┘      │            failed (FAILED)    partially shipped ─► shipped ◄─► invoiced
 *                                      │
 *   cancelled (CANCELLED): from held, accepted, posting, failed and posted (not once shipping began)
 *
 * RECEIVED lives only inside the capture transaction (it is in the history). A FAILED order goes
 * back to POSTING when operations replay its posting. The shipping statuses follow the line
 * quantities (order-line-quantities.ts): INVOICED goes back to SHIPPED when the ERP cancels an
 * invoice.
 */
export const SHIPPING_STATUSES = ['PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED'] as const;
export type OrderLifecycleStatus = OrderStatus;

export const ORDER_TRANSITIONS: Readonly<
  Record<OrderLifecycleStatus, readonly OrderLifecycleStatus[]>
> = {
  RECEIVED: ['ACCEPTED', 'ON_HOLD'],
  ON_HOLD: ['ACCEPTED', 'CANCELLED'],
  // FAILED straight from ACCEPTED: posting gave up before an attempt could mark it POSTING.
  ACCEPTED: ['POSTING', 'FAILED', 'CANCELLED'],
  POSTING: ['POSTED', 'FAILED', 'CANCELLED'],
  // POSTED from FAILED: every segment turned out to be in the ERP after a failure was recorded.
  FAILED: ['POSTING', 'POSTED', 'CANCELLED'],
  POSTED: ['PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'],
  PARTIALLY_SHIPPED: ['SHIPPED'],
  SHIPPED: ['INVOICED'],
  INVOICED: ['SHIPPED'],
  CANCELLED: [],
};

/** Every status is stored since the back-flow (issue 14); kept as the store's one conversion. */
export function storedStatusOf(status: OrderLifecycleStatus): OrderStatus {
  return status;
}

export const canTransition = (from: OrderLifecycleStatus, to: OrderLifecycleStatus): boolean =>
  ORDER_TRANSITIONS[from].includes(to);

/** The statuses an order may be in to move to `to`: the guard of an UPDATE … WHERE status = ANY(). */
export const statusesThatMayBecome = (to: OrderLifecycleStatus): OrderLifecycleStatus[] =>
  (Object.keys(ORDER_TRANSITIONS) as OrderLifecycleStatus[]).filter((from) =>
    canTransition(from, to),
  );

/** One status change the aggregate made; the store writes it (guarded) with its history entry. */
export interface OrderStatusChange {
  from: OrderLifecycleStatus | null;
  to: OrderLifecycleStatus;
}

export class Order {
  private readonly changes: OrderStatusChange[] = [];

  private constructor(
    readonly id: string,
    private current: OrderLifecycleStatus,
  ) {}

  /** A new order, as the capture transaction first records it. */
  static capture(id: string): Order {
    const order = new Order(id, 'RECEIVED');
    order.changes.push({ from: null, to: 'RECEIVED' });
    return order;
  }

  /** An order read back from the store in the status it has there. */
  static rehydrate(id: string, status: OrderLifecycleStatus): Order {
    return new Order(id, status);
  }

  get status(): OrderLifecycleStatus {
    return this.current;
  }

  /** Capture found nothing to hold it for, or operations released the hold. */
  accept(): void {
    this.moveTo('ACCEPTED');
  }

  /** Capture found business holds (credit, price mismatch by policy…). */
  hold(): void {
    this.moveTo('ON_HOLD');
  }

  /** A held order released by operations. */
  release(): void {
    if (this.current !== 'ON_HOLD')
      throw new IllegalOrderTransitionError(this.id, this.current, 'ACCEPTED');
    this.moveTo('ACCEPTED');
  }

  /** The first posting attempt of a segment (or a replay after a failure). */
  startPosting(): void {
    this.moveTo('POSTING');
  }

  /**
   * A segment reached the ERP: the order is POSTED once every segment is. Answers whether the
   * order changed status.
   */
  segmentPosted(segmentsPosted: readonly boolean[]): boolean {
    if (!segmentsPosted.every(Boolean)) return false;
    this.moveTo('POSTED');
    return true;
  }

  /**
   * The ERP rejected a segment, or posting gave up. A second failing segment of an order already
   * FAILED changes nothing: answers whether the order changed status.
   */
  fail(): boolean {
    if (this.current === 'FAILED') return false;
    this.moveTo('FAILED');
    return true;
  }

  /** Cancelled by the channel or operations; cancelling a cancelled order changes nothing. */
  cancel(): boolean {
    if (this.current === 'CANCELLED') return false;
    this.moveTo('CANCELLED');
    return true;
  }

  /**
   * The line quantities changed (a shipment, an invoice, an ERP edit): the order follows them
   * (fulfillmentStateOf). Only an order that is in the ERP moves; an order still posting or
   * failed keeps its status (its quantities are recorded all the same). Answers whether the
   * status changed.
   */
  quantitiesChanged(lines: readonly LineQuantities[]): boolean {
    if (!(FULFILLING as readonly string[]).includes(this.current)) return false;
    const before = this.current;
    const target = fulfillmentStateOf(lines);
    const path: Record<FulfillmentState, OrderLifecycleStatus[]> = {
      OPEN: [],
      PARTIALLY_SHIPPED: ['PARTIALLY_SHIPPED'],
      SHIPPED: ['SHIPPED'],
      INVOICED: ['SHIPPED', 'INVOICED'],
      CANCELLED: ['CANCELLED'],
    };
    for (const step of path[target]) {
      if (this.current !== step && canTransition(this.current, step)) this.moveTo(step);
    }
    return this.current !== before;
  }

  /** The status changes made since capture or rehydration, oldest first. */
  pendingChanges(): readonly OrderStatusChange[] {
    return [...this.changes];
  }

  private moveTo(to: OrderLifecycleStatus): void {
    if (!canTransition(this.current, to)) {
      throw new IllegalOrderTransitionError(this.id, this.current, to);
    }
    this.changes.push({ from: this.current, to });
    this.current = to;
  }
}
