import { Decimal } from 'decimal.js';
import type { FulfillmentViolation } from './fulfillment-violation.js';
import type { OrderLineToShip, OrderToShip, SegmentToShip } from './order-to-ship.js';
import type { ShipmentLine } from './shipment.js';

/*
 * Puts shipped (or invoiced) quantities on order lines. A line is named by the order line number,
 * the channel's line reference, the ERP document's line number, or — where the source has no link
 * (BC's standard shipment lines) — found by SKU among the segment's lines with quantity still open,
 * in line order. Quantities are converted to the ordered UoM (the source may count in base UoM).
 */

export interface SourceLine {
  /** Hub order line number. */
  lineNo?: number;
  lineRef?: string;
  /** The ERP document's line number within the segment (SalesOrderGateway lineNo). */
  documentLineNo?: number | null;
  sku: string;
  quantity: string;
  /** Default: the order line's UoM. */
  uom?: string | null;
  lotNo?: string | null;
  serialNumbers?: string[];
}

export type Matched =
  | { ok: true; segment: SegmentToShip; lines: Omit<ShipmentLine, 'lineNo'>[] }
  | { ok: false; violations: FulfillmentViolation[] };

/** What is left to ship (or invoice) on a line, in its UoM. */
export type OpenOf = (line: OrderLineToShip) => Decimal;

export const openToShip: OpenOf = (l) => new Decimal(l.ordered).minus(l.shipped).minus(l.cancelled);
export const openToInvoice: OpenOf = (l) => new Decimal(l.shipped).minus(l.invoiced);

/**
 * Matches source lines to the order's lines within ONE segment (`segment`, or the segment of the
 * first line that names one). Every problem is reported, not only the first.
 */
export function matchLines(
  order: OrderToShip,
  source: readonly SourceLine[],
  options: {
    segment?: SegmentToShip;
    open: OpenOf;
    overCode: 'OVER_SHIPMENT' | 'OVER_INVOICE';
    field?: string;
  },
): Matched {
  const field = options.field ?? 'lines';
  const violations: FulfillmentViolation[] = [];
  const taken = new Map<number, Decimal>();
  const out: Omit<ShipmentLine, 'lineNo'>[] = [];
  let segment = options.segment;
  const seenSerials = new Set<string>();

  source.forEach((s, i) => {
    const at = `${field}[${i}]`;
    const inScope = (l: OrderLineToShip) => !segment || l.segmentNo === segment.segmentNo;
    let line: OrderLineToShip | undefined;
    if (s.lineNo !== undefined || s.lineRef !== undefined || s.documentLineNo != null) {
      line = order.lines.find((l) =>
        s.lineNo !== undefined
          ? l.lineNo === s.lineNo
          : s.lineRef !== undefined
            ? l.lineRef === s.lineRef
            : inScope(l) && l.documentLineNo === s.documentLineNo,
      );
      if (!line) {
        violations.push({
          code: 'LINE_NOT_ON_ORDER',
          field: at,
          message: `order ${order.orderNumber} has no line ${s.lineNo ?? s.lineRef ?? s.documentLineNo}`,
        });
        return;
      }
      if (line.sku !== s.sku) {
        violations.push({
          code: 'SKU_DOES_NOT_MATCH_LINE',
          field: `${at}.sku`,
          message: `line ${line.lineNo} is ${line.sku}, not ${s.sku}`,
        });
        return;
      }
    } else {
      const candidates = order.lines.filter((l) => l.sku === s.sku && inScope(l));
      if (candidates.length === 0) {
        violations.push({
          code: 'SKU_NOT_ON_ORDER',
          field: `${at}.sku`,
          message: `${s.sku} is not on order ${order.orderNumber}${segment ? ` (segment ${segment.segmentNo})` : ''}`,
        });
        return;
      }
      // Unlinked: the first line of the SKU with quantity left (after what this source took).
      line =
        candidates.find((l) =>
          options
            .open(l)
            .minus(taken.get(l.lineNo) ?? 0)
            .greaterThan(0),
        ) ?? candidates[0];
    }
    const lineSegment = order.segments.find((g) => g.segmentNo === line.segmentNo);
    if (!segment) segment = lineSegment;
    else if (line.segmentNo !== segment.segmentNo) {
      violations.push({
        code: 'MIXED_SEGMENTS',
        field: at,
        message: `line ${line.lineNo} ships from ${describe(lineSegment)}, the shipment from ${describe(segment)}: one shipment leaves one warehouse or supplier`,
      });
      return;
    }
    const quantity = inLineUom(line, s);
    if (quantity === null) {
      violations.push({
        code: 'UOM_NOT_ON_LINE',
        field: `${at}.uom`,
        message: `line ${line.lineNo} is ordered in ${line.uom} (base ${line.baseUom}), not ${s.uom ?? ''}`,
      });
      return;
    }
    const serials = s.serialNumbers ?? [];
    if (serials.length > 0) {
      const base = baseOf(line, quantity);
      if (!base.equals(serials.length)) {
        violations.push({
          code: 'SERIAL_COUNT_MISMATCH',
          field: `${at}.serialNumbers`,
          message: `${serials.length} serial number(s) for ${base.toString()} ${line.baseUom}`,
        });
      }
      for (const serial of serials) {
        if (seenSerials.has(`${s.sku}|${serial}`)) {
          violations.push({
            code: 'DUPLICATE_SERIAL',
            field: `${at}.serialNumbers`,
            message: `serial number ${serial} is given twice`,
          });
        }
        seenSerials.add(`${s.sku}|${serial}`);
      }
    }
    const already = taken.get(line.lineNo) ?? new Decimal(0);
    taken.set(line.lineNo, already.plus(quantity));
    out.push({
      orderLineNo: line.lineNo,
      lineRef: line.lineRef,
      sku: line.sku,
      quantity: quantity.toString(),
      uom: line.uom,
      baseQuantity: baseOf(line, quantity).toString(),
      baseUom: line.baseUom,
      lotNo: s.lotNo ?? null,
      serialNumbers: serials,
    });
  });

  for (const [lineNo, quantity] of taken) {
    const line = order.lines.find((l) => l.lineNo === lineNo) as OrderLineToShip;
    const open = options.open(line);
    if (quantity.greaterThan(open)) {
      violations.push({
        code: options.overCode,
        field,
        message:
          options.overCode === 'OVER_SHIPMENT'
            ? `line ${lineNo} (${line.sku}): ${quantity.toString()} ${line.uom} shipped, ${open.toString()} open (ordered ${line.ordered}, shipped ${line.shipped}, cancelled ${line.cancelled})`
            : `line ${lineNo} (${line.sku}): ${quantity.toString()} ${line.uom} invoiced, ${open.toString()} shipped and not invoiced`,
      });
    }
  }
  if (violations.length > 0 || !segment) {
    return { ok: false, violations };
  }
  return { ok: true, segment, lines: out };
}

const describe = (s: SegmentToShip | undefined): string =>
  !s
    ? '?'
    : s.kind === 'STOCK'
      ? `warehouse ${s.warehouse ?? '?'}`
      : `supplier ${s.supplierId ?? '?'}`;

/** The source quantity in the line's UoM; null when the source's UoM is neither line nor base UoM. */
function inLineUom(line: OrderLineToShip, s: SourceLine): Decimal | null {
  const quantity = new Decimal(s.quantity);
  const uom = s.uom ?? line.uom;
  if (uom === line.uom) return quantity;
  if (uom === line.baseUom) {
    // base per ordered unit = baseQuantity / ordered (capture stored both).
    return quantity.times(line.ordered).dividedBy(line.baseQuantity);
  }
  return null;
}

function baseOf(line: OrderLineToShip, quantity: Decimal): Decimal {
  return quantity.times(line.baseQuantity).dividedBy(line.ordered);
}
