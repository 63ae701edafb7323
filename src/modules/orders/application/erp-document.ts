import type { ErpSalesOrderDocument } from './ports/sales-order.gateway.js';
import { erpShipToOf, type OrderShipTo } from '../domain/ship-to.js';
import type { PlannedLine, PlannedSegment } from './order-planner.js';

export interface DocumentHeader {
  customerId: string;
  shipTo: OrderShipTo;
  poNumber: string | null;
  requestedShipDate: string | null;
  currency: string;
  notes: string | null;
  orderDate: string;
}

/** The ERP sales order of one segment: its lines, numbered 1… within the segment. */
export function erpDocumentOf(
  header: DocumentHeader,
  segment: PlannedSegment,
  externalReference: string,
  lines: readonly PlannedLine[],
): ErpSalesOrderDocument {
  return {
    externalReference,
    customerNo: header.customerId,
    shipTo: erpShipToOf(header.shipTo),
    customerPo: header.poNumber,
    orderDate: header.orderDate,
    requestedDate: header.requestedShipDate,
    currency: header.currency,
    warehouseCode: segment.warehouse,
    dropShipSupplierId: segment.supplierId,
    notes: header.notes,
    lines: lines
      .filter((l) => l.segmentNo === segment.segmentNo)
      .map((l, i) => ({
        lineNo: i + 1,
        lineRef: l.lineRef,
        sku: l.sku,
        uom: l.uom,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
      })),
  };
}
