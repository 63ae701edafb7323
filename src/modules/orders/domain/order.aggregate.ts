import { ORDER_STATUSES, type OrderStatus } from './order.js';
import { IllegalOrderTransitionError } from './order.errors.js';

/*
 * The Order aggregate: the one place that decides which status change an order may make.
 *
 *   captured (RECEIVED) ──► accepted (ACCEPTED) ──► posting (POSTING) ──► posted (POSTED)
 *          │                    ▲      │                 │    ▲               │
 *          ▼                    │      │                 ▼    │               ▼
 *     held (ON_HOLD) ──release──┘      │            failed (FAILED)    partially shipped ─► shipped ─► invoiced
 *                                      │
 *   cancelled (CANCELLED): from held, accepted, posting, failed and posted (not once shipping began)
 *
 * RECEIVED lives only inside the capture transaction (it is in the history). A FAILED order goes
 * back to POSTING when operations replay its posting. PARTIALLY_SHIPPED, SHIPPED and INVOICED are
 * the back-flow's states (issue 14): the machine knows them, no use case reaches them yet, and the
 * API's status values (ORDER_STATUSES) stay as they are until one does.
 */
export const SHIPPING_STATUSES = ['PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED'] as const;
export type OrderLifecycleStatus = OrderStatus | (typeof SHIPPING_STATUSES)[number];

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
  INVOICED: [],
  CANCELLED: [],
};

/**
 * The status as the store and the API know it today. The shipping statuses are not stored until
 * the back-flow adds them to the schema and the API: reaching one is a programming error.
 */
export function storedStatusOf(status: OrderLifecycleStatus): OrderStatus {
  const stored = ORDER_STATUSES.find((s) => s === status);
  if (stored === undefined) throw new Error(`Order status ${status} cannot be stored yet`);
  return stored;
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
