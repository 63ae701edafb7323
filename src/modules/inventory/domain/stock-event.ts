import { parseSourceInstant } from '../../../platform/kernel/index.js';
import { formatQuantity, parseQuantity } from './quantity.js';

export const STOCK_EVENT_TYPES = ['SNAPSHOT', 'ADJUSTMENT'] as const;
/** SNAPSHOT: the quantity on hand, counted. ADJUSTMENT: a signed change to it. */
export type StockEventType = (typeof STOCK_EVENT_TYPES)[number];

/** A stock event pushed by a WMS or the ERP, checked and normalised. */
export interface StockEvent {
  eventId: string;
  sku: string;
  warehouse: string;
  /** `''` for items that are not lot-controlled. */
  lot: string;
  type: StockEventType;
  /** Base UoM, canonical spelling. SNAPSHOT ≥ 0; ADJUSTMENT ≠ 0 (negative = out). */
  quantity: string;
  /** Milliseconds since the epoch (the source's time, cut to the millisecond). */
  occurredAt: number;
  source: string;
}

export interface EventProblem {
  code: string;
  field: string;
  message: string;
}

export type EventCheck = { ok: true; value: StockEvent } | { ok: false; problems: EventProblem[] };

/** Printable ASCII, so that ordinal order is the same in JavaScript and in PostgreSQL "C". */
const EVENT_ID = /^[\x21-\x7e]{1,200}$/;
const CODE_MAX = 100;
const FIELDS = new Set([
  'eventId',
  'sku',
  'warehouse',
  'lot',
  'type',
  'quantity',
  'occurredAt',
  'source',
]);
/**
 * How far in the future occurredAt may be (clock skew between the sender and the hub). A snapshot
 * dated later would outrank every real count until that time comes, so it is refused instead.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Checks one event of a batch; every problem is reported, each with the field it is about. */
export function checkStockEvent(input: unknown, nowMs: number): EventCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      problems: [{ code: 'NOT_AN_OBJECT', field: '', message: 'an event must be a JSON object' }],
    };
  }
  const raw = input as Record<string, unknown>;
  const problems: EventProblem[] = [];
  const problem = (code: string, field: string, message: string): void => {
    problems.push({ code, field, message });
  };
  for (const field of Object.keys(raw)) {
    if (!FIELDS.has(field)) problem('UNKNOWN_PROPERTY', field, `property ${field} is not allowed`);
  }

  const eventId = raw.eventId;
  if (eventId === undefined || eventId === null || eventId === '') {
    problem('REQUIRED', 'eventId', 'eventId is required');
  } else if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) {
    problem(
      'INVALID_EVENT_ID',
      'eventId',
      'eventId must be 1-200 printable ASCII characters without spaces',
    );
  }
  const sku = code(raw.sku, 'sku', problem);
  const warehouse = code(raw.warehouse, 'warehouse', problem);
  let lot = '';
  if (raw.lot !== undefined && raw.lot !== null) {
    if (typeof raw.lot !== 'string' || raw.lot.trim().length > CODE_MAX) {
      problem('INVALID_LOT', 'lot', `lot must be a string of at most ${CODE_MAX} characters`);
    } else {
      lot = raw.lot.trim();
    }
  }
  const type = raw.type;
  if (type === undefined || type === null) {
    problem('REQUIRED', 'type', 'type is required');
  } else if (!(STOCK_EVENT_TYPES as readonly unknown[]).includes(type)) {
    problem('INVALID_TYPE', 'type', 'type must be SNAPSHOT or ADJUSTMENT');
  }
  let quantity: string | undefined;
  if (raw.quantity === undefined || raw.quantity === null) {
    problem('REQUIRED', 'quantity', 'quantity is required');
  } else {
    const parsed = parseQuantity(raw.quantity);
    if (!parsed) {
      problem(
        'INVALID_QUANTITY',
        'quantity',
        'quantity must be a decimal string (at most 12 integer digits and 6 decimals), e.g. "12.5"',
      );
    } else if (type === 'SNAPSHOT' && parsed.isNegative()) {
      problem('NEGATIVE_SNAPSHOT', 'quantity', 'a SNAPSHOT quantity cannot be negative');
    } else if (type === 'ADJUSTMENT' && parsed.isZero()) {
      problem('ZERO_ADJUSTMENT', 'quantity', 'an ADJUSTMENT must change the quantity (not 0)');
    } else {
      quantity = formatQuantity(parsed);
    }
  }
  let occurredAt: number | undefined;
  if (raw.occurredAt === undefined || raw.occurredAt === null) {
    problem('REQUIRED', 'occurredAt', 'occurredAt is required');
  } else {
    occurredAt = parseSourceInstant(raw.occurredAt);
    if (occurredAt === undefined) {
      problem(
        'INVALID_OCCURRED_AT',
        'occurredAt',
        'occurredAt must be an ISO 8601 date-time with offset, e.g. 2026-05-13T10:15:30.123Z',
      );
    } else if (occurredAt > nowMs + MAX_CLOCK_SKEW_MS) {
      problem(
        'OCCURRED_IN_FUTURE',
        'occurredAt',
        'occurredAt is more than 5 minutes in the future: check the sender clock',
      );
    }
  }
  const source = code(raw.source, 'source', problem);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      eventId: eventId as string,
      sku,
      warehouse,
      lot,
      type: type as StockEventType,
      quantity: quantity as string,
      occurredAt: occurredAt as number,
      source,
    },
  };
}

function code(
  value: unknown,
  field: string,
  problem: (code: string, field: string, message: string) => void,
): string {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
    problem('REQUIRED', field, `${field} is required`);
    return '';
  }
  if (typeof value !== 'string' || value.trim().length > CODE_MAX) {
    problem('INVALID_CODE', field, `${field} must be a string of at most ${CODE_MAX} characters`);
    return '';
  }
  return value.trim();
}

/**
 * What an event says, in one canonical string: the same eventId arriving with other content is
 * a different event reusing an id (refused), not a duplicate.
 */
export function stockEventFingerprint(event: StockEvent): string {
  return JSON.stringify([
    event.sku,
    event.warehouse,
    event.lot,
    event.type,
    event.quantity,
    event.occurredAt,
    event.source,
  ]);
}

/**
 * Where an event sits in the order that decides which facts win: occurredAt, then eventId
 * ordinally. A total order, so the outcome never depends on the order of arrival.
 */
export interface EventKey {
  at: number;
  id: string;
}

export function compareEventKeys(a: EventKey, b: EventKey): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const IGNORE_REASONS = ['STALE_SNAPSHOT', 'BEFORE_SNAPSHOT'] as const;
export type IgnoreReason = (typeof IGNORE_REASONS)[number];

export type StockEventDecision = { apply: true } | { apply: false; reason: IgnoreReason };

/**
 * The ordering rules, given the key of the last snapshot applied to the same position
 * (sku × warehouse × lot):
 * - a SNAPSHOT at or before it is ignored (STALE_SNAPSHOT): a newer count is already applied;
 * - an ADJUSTMENT before it is ignored (BEFORE_SNAPSHOT): that count already includes it.
 * An applied SNAPSHOT sets on hand to its quantity plus every applied ADJUSTMENT after it, so
 * adjustments that arrived before a snapshot they postdate are not lost.
 */
export function decideStockEvent(
  type: StockEventType,
  key: EventKey,
  lastSnapshot: EventKey | null,
): StockEventDecision {
  if (lastSnapshot === null || compareEventKeys(key, lastSnapshot) > 0) return { apply: true };
  return { apply: false, reason: type === 'SNAPSHOT' ? 'STALE_SNAPSHOT' : 'BEFORE_SNAPSHOT' };
}
