import { Injectable } from '@nestjs/common';
import { type ErpShipment, ShipmentFeed } from '../../../../modules/fulfillment/index.js';
import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { OnPremErpConnection } from '../onprem-erp.connection.js';
import { readDocumentPage } from '../onprem-document.page.js';
import {
  AT_SQL,
  HUB_LINE_NO_SQL,
  type ShipmentHeaderRow,
  type ShipmentLineRow,
  toErpShipment,
} from './onprem-fulfillment.mapper.js';

/**
 * Posted shipments changed at or after the start, after ($1, $2) in (updated_at, shipment_no
 * COLLATE "C") order. A posted shipment's lines are written with its header and never changed
 * alone (the ERP changes a posted shipment through its header), so the header's updated_at is
 * the document's.
 */
const HEADERS_SQL = `
  SELECT h.shipment_no AS sid, ${AT_SQL('h.updated_at')} AS at, h.order_no, h.external_reference,
         to_char(h.ship_date, 'YYYY-MM-DD') AS ship_date, h.warehouse_code, h.supplier_no,
         h.shipping_agent_code, h.shipping_service_code, h.tracking_numbers, h.tracking_url,
         h.hub_shipment_reference
    FROM sh_shipment_header h
   WHERE h.updated_at >= $1::timestamptz
     AND (h.updated_at, h.shipment_no COLLATE "C") > ($1::timestamptz, $2::text COLLATE "C")
   ORDER BY h.updated_at, h.shipment_no COLLATE "C"
   LIMIT $3`;

const LINES_SQL = `
  SELECT l.shipment_no, l.line_no,
         ${HUB_LINE_NO_SQL('h.order_no', 'l.order_line_no', 'l.item_no')} AS order_line_no,
         l.item_no, l.uom_code, l.quantity::text AS quantity, l.lot_no, l.serial_nos
    FROM sh_shipment_line l
    JOIN sh_shipment_header h ON h.shipment_no = l.shipment_no
   WHERE l.shipment_no = ANY($1::text[])
   ORDER BY l.shipment_no, l.line_no`;

/**
 * ShipmentFeed over the on-prem ERP's posted shipments (`sh_shipment_header/line`, direct SQL,
 * one read-only snapshot per page). sourceId = shipment number; `orderLineNo` = the order line
 * number, which for orders the hub created is the hub document's lineNo (the order import keeps
 * it), null for a line an ERP user added to the order; `hubShipmentId` = the hub's reference on shipments it posted through the import.
 */
@Injectable()
export class OnPremShipmentFeed extends ShipmentFeed {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  readShipments(request: DeltaReadRequest): Promise<DeltaPage<ErpShipment>> {
    return readDocumentPage<ShipmentHeaderRow, ShipmentLineRow, ErpShipment>(this.erp, request, {
      headersSql: HEADERS_SQL,
      linesSql: LINES_SQL,
      lineOwner: (line) => line.shipment_no,
      map: toErpShipment,
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}
