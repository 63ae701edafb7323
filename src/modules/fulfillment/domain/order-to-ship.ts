/**
 * The order as the fulfillment rules need it (structurally the orders module's FulfillmentOrder:
 * the domain names only what it reads).
 */
export interface OrderLineToShip {
  lineNo: number;
  lineRef: string;
  sku: string;
  uom: string;
  ordered: string;
  shipped: string;
  cancelled: string;
  invoiced: string;
  baseQuantity: string;
  baseUom: string;
  segmentNo: number;
  documentLineNo: number;
}

export interface SegmentToShip {
  id: string;
  segmentNo: number;
  kind: 'STOCK' | 'DROP_SHIP';
  warehouse: string | null;
  supplierId: string | null;
  externalReference: string;
  erpOrderNumber: string | null;
  status: string;
}

export interface OrderToShip {
  id: string;
  orderNumber: string;
  channelId: string;
  status: string;
  segments: SegmentToShip[];
  lines: OrderLineToShip[];
}
