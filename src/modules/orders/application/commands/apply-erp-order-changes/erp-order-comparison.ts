import { Decimal } from 'decimal.js';
import {
  RecordReader,
  type RecordCheck,
  isIsoDate,
} from '../../../../../platform/delta-sync/index.js';
import type { SegmentStatus } from '../../../domain/order.js';
import { type LineQuantities, openQuantity } from '../../../domain/order-line-quantities.js';
import type { LineQuantityChange } from '../../order-fulfillment.service.js';
import {
  ERP_ORDER_SNAPSHOT_STATES,
  type ErpOrderSnapshot,
  type ErpOrderSnapshotLine,
} from '../../ports/sales-order-change.feed.js';

/** A hub line of the segment the snapshot is about, with its line number in the ERP document. */
export interface SegmentLine extends LineQuantities {
  documentLineNo: number;
  sku: string;
  uom: string;
}

/** What the ERP did that the hub must not apply by itself: each becomes an exception. */
export type ErpChangeProblem =
  | { code: 'ERP_LINE_ADDED'; sku: string; quantity: string; uom: string }
  | { code: 'ERP_LINE_MISMATCH'; lineNo: number; detail: string };

export interface ErpOrderComparison {
  /** Changes to apply (hub line numbers); empty when the hub already matches the ERP. */
  changes: LineQuantityChange[];
  /** One entry per changed line: what the hub line goes from and to (for the history). */
  lines: { lineNo: number; documentLineNo: number; kind: string; from: string; to: string }[];
  problems: ErpChangeProblem[];
}

/**
 * Segment statuses the hub considers open in the ERP. CANCEL_REQUESTED/CANCELLED are the hub's own
 * cancels (the ERP's answer to them is the cancel job's business); anything before POSTED is not
 * in the ERP yet (a snapshot of it is the posting job's business).
 */
const OPEN_IN_ERP: readonly SegmentStatus[] = ['POSTED'];

/** Hub view of a line's ordered quantity after cancellations: what the ERP should hold. */
const hubOrdered = (line: LineQuantities): Decimal =>
  new Decimal(line.ordered).minus(line.cancelled);

/**
 * Compares the ERP's snapshot of a segment's order with the hub's lines of that segment (pure).
 *
 * - OPEN: a line whose ERP quantity differs from the hub's (ordered − cancelled) becomes an
 *   `ordered` change (a cut is booked as cancelled quantity; the domain refuses a cut below the
 *   shipped quantity or a raise above what the channel ordered); a hub line absent from the ERP
 *   is cancelled for its open quantity.
 * - CLOSED: the ERP finished the order and cancelled what it did not ship, so each line goes to
 *   the ERP's shipped quantity. Not "cancel the hub's open quantity": the hub may not have read
 *   the last shipments yet, and cancelling their quantity would refuse them when they arrive.
 * - CANCELLED / NOT_FOUND (deleted, as Business Central does): every line's open quantity is
 *   cancelled.
 * - An ERP line without a hub line number (added by an ERP user) is a problem, never added.
 * Applying the result and comparing again yields no changes: the comparison is idempotent.
 */
export function compareErpOrder(
  segmentStatus: SegmentStatus,
  hubLines: readonly SegmentLine[],
  snapshot: ErpOrderSnapshot,
): ErpOrderComparison {
  const result: ErpOrderComparison = { changes: [], lines: [], problems: [] };
  if (!OPEN_IN_ERP.includes(segmentStatus)) return result;
  const erpLines = new Map<number, ErpOrderSnapshotLine>();
  for (const line of snapshot.lines) {
    if (line.lineNo === null) {
      result.problems.push({
        code: 'ERP_LINE_ADDED',
        sku: line.sku,
        quantity: line.quantity,
        uom: line.uom,
      });
    } else {
      erpLines.set(line.lineNo, line);
    }
  }
  const gone = snapshot.state === 'CANCELLED' || snapshot.state === 'NOT_FOUND';
  for (const line of hubLines) {
    const erp = gone ? undefined : erpLines.get(line.documentLineNo);
    if (!erp) {
      const open = openQuantity(line);
      if (open.greaterThan(0)) cancel(result, line, open);
      continue;
    }
    if (erp.sku !== line.sku || erp.uom !== line.uom) {
      result.problems.push({
        code: 'ERP_LINE_MISMATCH',
        lineNo: line.lineNo,
        detail: `the ERP's line ${line.documentLineNo} is ${erp.quantity} ${erp.uom} of ${erp.sku}, the hub's ${line.ordered} ${line.uom} of ${line.sku}`,
      });
      continue;
    }
    const target = new Decimal(snapshot.state === 'CLOSED' ? erp.shippedQuantity : erp.quantity);
    const current = hubOrdered(line);
    if (!target.equals(current)) {
      result.changes.push({
        lineNo: line.lineNo,
        change: { kind: 'ordered', quantity: target.toFixed() },
      });
      result.lines.push({
        lineNo: line.lineNo,
        documentLineNo: line.documentLineNo,
        kind: 'ordered',
        from: current.toFixed(),
        to: target.toFixed(),
      });
    }
  }
  return result;
}

function cancel(result: ErpOrderComparison, line: SegmentLine, open: Decimal): void {
  const current = hubOrdered(line);
  result.changes.push({
    lineNo: line.lineNo,
    change: { kind: 'cancelled', quantity: open.toFixed() },
  });
  result.lines.push({
    lineNo: line.lineNo,
    documentLineNo: line.documentLineNo,
    kind: 'cancelled',
    from: current.toFixed(),
    to: current.minus(open).toFixed(),
  });
}

/** Checks and normalises a snapshot as an adapter delivered it (nothing it sends is trusted). */
export function checkErpOrderSnapshot(input: unknown): RecordCheck<ErpOrderSnapshot> {
  const r = RecordReader.of(input);
  const externalReference = r.key('externalReference');
  const erpOrderNumber = r.optionalKey('erpOrderNumber');
  const state = r.oneOf('state', ERP_ORDER_SNAPSHOT_STATES);
  const modifiedAt = r.raw('modifiedAt');
  if (
    typeof modifiedAt !== 'string' ||
    Number.isNaN(Date.parse(modifiedAt)) ||
    isIsoDate(modifiedAt)
  ) {
    r.problem('modifiedAt', 'NOT_AN_INSTANT', 'modifiedAt must be an ISO 8601 instant with offset');
  }
  const changedBy = r.optionalText('changedBy');
  const lines = r.list('lines', (element, path) => {
    const l = RecordReader.of(element, r.problems, path);
    const rawLineNo = l.raw('lineNo');
    const lineNo = rawLineNo === null ? null : l.integer('lineNo', 1, 1_000_000);
    return {
      lineNo,
      sku: l.key('sku'),
      uom: l.key('uom'),
      quantity: l.decimal('quantity', { maxScale: 6, sign: 'non-negative' }),
      shippedQuantity: l.decimal('shippedQuantity', { maxScale: 6, sign: 'non-negative' }),
    };
  });
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  return {
    ok: true,
    value: {
      externalReference,
      erpOrderNumber,
      state,
      lines,
      modifiedAt: modifiedAt as string,
      changedBy,
    },
  };
}
