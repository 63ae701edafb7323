import type { ErpSalesOrderDocument, ErpShipTo } from './ports/sales-order.gateway.js';
import type { OrderShipTo } from '../domain/order.js';
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

function erpShipTo(shipTo: OrderShipTo): ErpShipTo | null {
  if (shipTo === null) return null;
  // The customer's default: the ERP picks it itself, as it did before the hub showed it.
  if ('code' in shipTo) return shipTo.isDefault ? null : { kind: 'code', code: shipTo.code };
  return { kind: 'address', ...shipTo.address };
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
    shipTo: erpShipTo(header.shipTo),
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
