import { Decimal } from 'decimal.js';
import { formatQuantity, parseQuantity } from './quantity.js';

export const RESERVATION_STATUSES = ['ACTIVE', 'RELEASED', 'EXPIRED', 'HANDED_OVER'] as const;
/**
 * ACTIVE holds stock. RELEASED: cancelled. EXPIRED: its TTL ran out. HANDED_OVER: the ERP
 * confirmed its own allocation; the quantity moved from reserved to allocated.
 */
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationLine {
  lineNo: number;
  sku: string;
  warehouse: string;
  /** Base UoM. */
  quantity: string;
}

export interface Reservation {
  id: string;
  orderId: string;
  channelId: string | null;
  status: ReservationStatus;
  lines: ReservationLine[];
  expiresAt: Date;
  createdAt: Date;
  /** When it stopped holding stock (released, expired, handed over). */
  closedAt: Date | null;
  closeReason: string | null;
}

export interface RequestedLine {
  sku: string;
  warehouse: string;
  quantity: string;
}

/** Stock to hold at one position: the request's lines for it, added up. */
export interface PositionDemand {
  sku: string;
  warehouse: string;
  quantity: Decimal;
}

export interface ReservationProblem {
  code: string;
  field: string;
  message: string;
}

export type ReservationCheck =
  | { ok: true; value: { orderId: string; lines: ReservationLine[] } }
  | { ok: false; problems: ReservationProblem[] };

export const MAX_RESERVATION_LINES = 500;

/** Checks a reservation request: an order id and 1-500 lines of positive base-UoM quantities. */
export function checkReservationRequest(orderId: unknown, lines: unknown): ReservationCheck {
  const problems: ReservationProblem[] = [];
  if (typeof orderId !== 'string' || !orderId.trim() || orderId.trim().length > 200) {
    problems.push({
      code: 'INVALID_ORDER_ID',
      field: 'orderId',
      message: 'orderId must be 1-200 characters',
    });
  }
  const checked: ReservationLine[] = [];
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_RESERVATION_LINES) {
    problems.push({
      code: 'INVALID_LINES',
      field: 'lines',
      message: `a reservation needs 1-${MAX_RESERVATION_LINES} lines`,
    });
  } else {
    lines.forEach((line: Partial<RequestedLine> | null, i) => {
      const at = `lines[${i}]`;
      const sku = typeof line?.sku === 'string' ? line.sku.trim() : '';
      const warehouse = typeof line?.warehouse === 'string' ? line.warehouse.trim() : '';
      if (!sku) problems.push({ code: 'REQUIRED', field: `${at}.sku`, message: 'sku is required' });
      if (!warehouse) {
        problems.push({
          code: 'REQUIRED',
          field: `${at}.warehouse`,
          message: 'warehouse is required',
        });
      }
      const quantity = parseQuantity(line?.quantity);
      if (!quantity || !quantity.isPositive() || quantity.isZero()) {
        problems.push({
          code: 'INVALID_QUANTITY',
          field: `${at}.quantity`,
          message: 'quantity must be a positive decimal string in the base UoM',
        });
      }
      checked.push({
        lineNo: i + 1,
        sku,
        warehouse,
        quantity: quantity ? formatQuantity(quantity) : '',
      });
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { orderId: (orderId as string).trim(), lines: checked } };
}

/**
 * The demand per position, in one fixed order (SKU, then warehouse, ordinally): every writer
 * locks positions in this order, so two reservations can never deadlock on each other.
 */
export function demandByPosition(lines: readonly RequestedLine[]): PositionDemand[] {
  const byKey = new Map<string, PositionDemand>();
  for (const line of lines) {
    const key = `${line.sku}\u0000${line.warehouse}`;
    const existing = byKey.get(key);
    if (existing) existing.quantity = existing.quantity.plus(line.quantity);
    else
      byKey.set(key, {
        sku: line.sku,
        warehouse: line.warehouse,
        quantity: new Decimal(line.quantity),
      });
  }
  return [...byKey.values()].sort(comparePositions);
}

/**
 * Takes `wanted` (base UoM, per position) out of a reservation's lines, in line order, never more
 * than the lines hold: answers each line's remaining quantity (0 = the line goes) and what was
 * taken per position (only positions where something was).
 */
export function takeFromLines(
  lines: readonly ReservationLine[],
  wanted: readonly PositionDemand[],
): { remaining: { lineNo: number; quantity: Decimal }[]; taken: PositionDemand[] } {
  const left = new Map(wanted.map((d) => [`${d.sku}\u0000${d.warehouse}`, d.quantity]));
  const taken = new Map<string, PositionDemand>();
  const remaining: { lineNo: number; quantity: Decimal }[] = [];
  for (const line of [...lines].sort((a, b) => a.lineNo - b.lineNo)) {
    const key = `${line.sku}\u0000${line.warehouse}`;
    const want = left.get(key);
    if (!want || want.lessThanOrEqualTo(0)) continue;
    const held = new Decimal(line.quantity);
    const take = Decimal.min(held, want);
    left.set(key, want.minus(take));
    remaining.push({ lineNo: line.lineNo, quantity: held.minus(take) });
    const sum = taken.get(key);
    if (sum) sum.quantity = sum.quantity.plus(take);
    else taken.set(key, { sku: line.sku, warehouse: line.warehouse, quantity: take });
  }
  return {
    remaining,
    taken: [...taken.values()].filter((d) => d.quantity.greaterThan(0)).sort(comparePositions),
  };
}

export function comparePositions(
  a: { sku: string; warehouse: string },
  b: { sku: string; warehouse: string },
): number {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  return a.warehouse < b.warehouse ? -1 : a.warehouse > b.warehouse ? 1 : 0;
}

/** A retried reserve for the same order is the same request when it asks for the same stock. */
export function sameDemand(a: readonly RequestedLine[], b: readonly RequestedLine[]): boolean {
  const x = demandByPosition(a);
  const y = demandByPosition(b);
  return (
    x.length === y.length &&
    x.every(
      (d, i) =>
        d.sku === y[i].sku && d.warehouse === y[i].warehouse && d.quantity.equals(y[i].quantity),
    )
  );
}
