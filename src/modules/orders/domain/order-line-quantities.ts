import { Decimal } from 'decimal.js';

/*
 * Quantities must clear, per order line, in the ordered UoM (issue 14):
 *   ordered ≥ shipped + cancelled,   shipped ≥ invoiced,   backordered = ordered − shipped − cancelled
 * (while the order is open). A change that would break this is refused with a reason: the caller
 * turns it into an exception for operations, never into a silent overwrite.
 */
export interface LineQuantities {
  lineNo: number;
  ordered: string;
  shipped: string;
  cancelled: string;
  invoiced: string;
}

export type QuantityChange =
  | { kind: 'shipped'; quantity: string }
  | { kind: 'cancelled'; quantity: string }
  | { kind: 'invoiced'; quantity: string }
  /** The ERP changed the ordered quantity (an edit): the new ordered quantity. */
  | { kind: 'ordered'; quantity: string };

export type QuantityRefusal =
  'OVER_SHIPMENT' | 'OVER_CANCELLATION' | 'OVER_INVOICE' | 'NEGATIVE_QUANTITY' | 'BELOW_SHIPPED';

export class QuantitiesDoNotClearError extends Error {
  override readonly name = 'QuantitiesDoNotClearError';
  readonly code = 'ORDER.QUANTITIES_DO_NOT_CLEAR';

  constructor(
    readonly lineNo: number,
    readonly refusal: QuantityRefusal,
    readonly detail: string,
  ) {
    super(`Order line ${lineNo}: ${detail}`);
  }
}

/** What is still to ship on the line: ordered − shipped − cancelled. */
export const openQuantity = (line: LineQuantities): Decimal =>
  new Decimal(line.ordered).minus(line.shipped).minus(line.cancelled);

/** The line after `change`, or QuantitiesDoNotClearError. Quantities may be negative to take back. */
export function applyQuantityChange(line: LineQuantities, change: QuantityChange): LineQuantities {
  const q = new Decimal(change.quantity);
  const ordered = new Decimal(line.ordered);
  const shipped = new Decimal(line.shipped);
  const cancelled = new Decimal(line.cancelled);
  const invoiced = new Decimal(line.invoiced);
  const refuse = (refusal: QuantityRefusal, detail: string): never => {
    throw new QuantitiesDoNotClearError(line.lineNo, refusal, detail);
  };
  switch (change.kind) {
    case 'shipped': {
      const next = shipped.plus(q);
      if (next.isNegative()) refuse('NEGATIVE_QUANTITY', `shipped would be ${next.toString()}`);
      if (next.plus(cancelled).greaterThan(ordered)) {
        refuse(
          'OVER_SHIPMENT',
          `shipping ${q.toString()} more exceeds the open quantity ${openQuantity(line).toString()}`,
        );
      }
      if (next.lessThan(invoiced))
        refuse('OVER_INVOICE', `shipped ${next.toString()} < invoiced ${invoiced.toString()}`);
      return { ...line, shipped: next.toString() };
    }
    case 'cancelled': {
      const next = cancelled.plus(q);
      if (next.isNegative()) refuse('NEGATIVE_QUANTITY', `cancelled would be ${next.toString()}`);
      if (next.plus(shipped).greaterThan(ordered)) {
        refuse(
          'OVER_CANCELLATION',
          `cancelling ${q.toString()} exceeds the open quantity ${openQuantity(line).toString()}`,
        );
      }
      return { ...line, cancelled: next.toString() };
    }
    case 'invoiced': {
      const next = invoiced.plus(q);
      if (next.isNegative()) refuse('NEGATIVE_QUANTITY', `invoiced would be ${next.toString()}`);
      if (next.greaterThan(shipped)) {
        refuse(
          'OVER_INVOICE',
          `invoicing ${q.toString()} more exceeds the shipped, not invoiced ${shipped.minus(invoiced).toString()}`,
        );
      }
      return { ...line, invoiced: next.toString() };
    }
    case 'ordered': {
      // An ERP edit keeps the ordered quantity and books the difference as cancelled (a cut) or
      // takes cancelled back (a raise up to the original): ordered never changes after capture,
      // so what the channel ordered stays readable next to what the ERP made of it.
      const target = q;
      if (target.isNegative()) refuse('NEGATIVE_QUANTITY', `ordered would be ${target.toString()}`);
      if (target.lessThan(shipped)) {
        refuse('BELOW_SHIPPED', `${target.toString()} is below the shipped ${shipped.toString()}`);
      }
      if (target.greaterThan(ordered)) {
        refuse(
          'OVER_CANCELLATION',
          `the ERP raised the line to ${target.toString()}, above the ordered ${ordered.toString()}`,
        );
      }
      return { ...line, cancelled: ordered.minus(target).toString() };
    }
  }
}

/** Backordered while open: what is neither shipped nor cancelled. */
export const backordered = (line: LineQuantities): string => openQuantity(line).toString();

export type FulfillmentState = 'OPEN' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'INVOICED' | 'CANCELLED';

/** Where the lines put the order: nothing moved, part shipped, all cleared, all invoiced, none shipped and all cancelled. */
export function fulfillmentStateOf(lines: readonly LineQuantities[]): FulfillmentState {
  const anyShipped = lines.some((l) => new Decimal(l.shipped).greaterThan(0));
  const allClear = lines.every((l) => openQuantity(l).isZero());
  if (!anyShipped) {
    if (allClear && lines.every((l) => new Decimal(l.cancelled).greaterThan(0))) return 'CANCELLED';
    return 'OPEN';
  }
  if (!allClear) return 'PARTIALLY_SHIPPED';
  return lines.every((l) => new Decimal(l.invoiced).equals(l.shipped)) ? 'INVOICED' : 'SHIPPED';
}
