/** What a caller hands to OutboxService.add: one event, written in the caller's transaction. */
export interface OutboxEventInput<T> {
  /** Stable event type, e.g. `inventory.availability-changed`. */
  type: string;
  /**
   * What the event is about (an order id, `SKU@WAREHOUSE`). Events with the same type and key are
   * published in the order they were added; coalesced events are merged per type and key.
   */
  key?: string | null;
  /** JSON-safe data (decimal strings, ISO instants): stored as jsonb. */
  payload: T;
  /**
   * When the business fact happened at its source (a stock event's occurredAt, an ERP change's
   * timestamp). Default: now. The publish-delay metric measures from here.
   */
  occurredAt?: Date;
  /** Default: the correlation id of the current request or job. */
  correlationId?: string | null;
}

/** Bursts on one (type, key) become one event: the first add waits `windowMs`, later ones merge. */
export interface CoalesceOptions<T> {
  /** How long the first event of a burst waits for more before it may be published. */
  windowMs: number;
  /**
   * Combines the still-unpublished event with the new one. Return null to drop both (the burst
   * cancelled out). Runs inside the caller's transaction, with the pending row locked.
   */
  merge: (pending: T, next: T) => T | null;
}

export interface AddOptions<T> {
  coalesce?: CoalesceOptions<T>;
  /** Not published before this many milliseconds from now (ignored when coalescing). */
  delayMs?: number;
}

/**
 * An outbox event as handed to the in-process EventBus when no typed mapper is registered for its
 * type. Handlers subscribe with `@EventsHandler(OutboxMessage)` and switch on `type`.
 */
export class OutboxMessage<T = unknown> {
  constructor(
    readonly id: string,
    readonly type: string,
    readonly key: string | null,
    readonly payload: T,
    readonly correlationId: string | null,
    readonly occurredAt: Date,
    readonly createdAt: Date,
  ) {}
}

/** Turns a stored event into the object published on the EventBus (a typed event class). */
export type OutboxEventMapper = (message: OutboxMessage) => object;
