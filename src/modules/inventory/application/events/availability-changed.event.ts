/** Outbox event type of AvailabilityChangedEvent. */
export const AVAILABILITY_CHANGED = 'inventory.availability-changed';

/** What the outbox stores for one AvailabilityChanged event (JSON-safe). */
export interface AvailabilityChangedPayload {
  sku: string;
  warehouse: string;
  /** ATP before the change (or before the first change of a coalesced burst). Decimal string. */
  oldAtp: string;
  /** ATP after the (last) change. Decimal string. */
  newAtp: string;
  /** Source time of the stock event or action behind `newAtp`, ISO 8601. */
  sourceEventAt: string;
}

/**
 * ATP of a SKU in a warehouse changed: integration event, published on the EventBus from the
 * outbox after the change committed (at least once; bursts within the coalescing window arrive
 * as one event). ATP here is before channel rules: a consumer that speaks for one channel
 * derives that channel's old and new figures with `channelAvailable(rule, warehouse, atp)` and
 * skips the event when they are equal.
 */
export class AvailabilityChangedEvent implements AvailabilityChangedPayload {
  constructor(
    readonly sku: string,
    readonly warehouse: string,
    readonly oldAtp: string,
    readonly newAtp: string,
    readonly sourceEventAt: string,
    /** Outbox event id: the same on a redelivery. */
    readonly eventId: string,
    readonly correlationId: string | null,
  ) {}
}
