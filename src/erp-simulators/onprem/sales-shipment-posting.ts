import { Decimal } from 'decimal.js';
import type { ErpSql } from './erp-sql.js';
import { takeFromStock } from './erp-stock.js';

export interface SalesShipmentLineInput {
  /** The ERP order line shipped (so_order_line.line_no = the line number the import gave it). */
  orderLineNo: number;
  /** When given, must be the order line's item. */
  itemNo: string | null;
  /** When given, must be the order line's unit (the ERP ships in the line's unit). */
  uomCode: string | null;
  quantity: string;
  lotNo: string | null;
  serialNos: string[];
}

export interface SalesShipmentInput {
  orderNo: string;
  /** YYYY-MM-DD; null = today. */
  shipDate: string | null;
  carrier: string | null;
  service: string | null;
  trackingNumbers: string[];
  trackingUrl: string | null;
  /** The hub's shipment reference when the hub posted it through the import. */
  hubShipmentReference: string | null;
  importId: string | null;
  /** The ERP user or job posting it (so_order_header.changed_by, sh_shipment_header.posted_by). */
  postedBy: string;
  lines: SalesShipmentLineInput[];
}

export type SalesShipmentResult =
  { posted: true; shipmentNo: string } | { posted: false; problems: string[] };

interface OrderLineRow {
  line_no: number;
  item_no: string;
  uom_code: string;
  quantity: string;
  shipped_qty: string;
  status: string;
  fulfillment_type: string;
  warehouse_code: string | null;
  supplier_no: string | null;
}

/**
 * Posts a sales shipment the way the reference ERP does, for its users (ErpUser) and its
 * shipment import job alike: validates against the order (locked), then writes the posted
 * shipment, the order lines' shipped quantities (line SHIPPED when complete, order SHIPPED when
 * no line is open), and takes stock lines out of in_balance. Nothing is written when there are
 * problems: they come back, as the import job records them in error_text. Run it inside a
 * transaction.
 */
export async function postSalesShipment(
  sql: ErpSql,
  input: SalesShipmentInput,
): Promise<SalesShipmentResult> {
  const { rows: orders } = await sql.query<{ status: string }>(
    `SELECT status FROM so_order_header WHERE order_no = $1 FOR UPDATE`,
    [input.orderNo],
  );
  const order = orders[0];
  if (!order) return { posted: false, problems: [`Order ${input.orderNo} does not exist`] };
  if (order.status !== 'OPEN' && order.status !== 'RELEASED') {
    return { posted: false, problems: [`Order ${input.orderNo} is ${order.status}`] };
  }
  if (input.lines.length === 0) return { posted: false, problems: ['Shipment has no lines'] };
  const { rows: orderLines } = await sql.query<OrderLineRow>(
    `SELECT line_no, item_no, uom_code, quantity::text AS quantity,
            shipped_qty::text AS shipped_qty, status, fulfillment_type, warehouse_code, supplier_no
       FROM so_order_line WHERE order_no = $1 ORDER BY line_no FOR UPDATE`,
    [input.orderNo],
  );
  const byNo = new Map(orderLines.map((l) => [l.line_no, l]));
  const problems: string[] = [];
  const shipping = new Map<number, Decimal>();
  input.lines.forEach((line, index) => {
    const n = index + 1;
    const ordered = byNo.get(line.orderLineNo);
    if (!ordered) {
      problems.push(`Line ${n}: order line ${line.orderLineNo} does not exist`);
      return;
    }
    if (ordered.status === 'CANCELLED') {
      problems.push(`Line ${n}: order line ${line.orderLineNo} is CANCELLED`);
    }
    if (line.itemNo !== null && line.itemNo !== ordered.item_no) {
      problems.push(
        `Line ${n}: item ${line.itemNo} is not the item of order line ${line.orderLineNo} (${ordered.item_no})`,
      );
    }
    if (line.uomCode !== null && line.uomCode !== ordered.uom_code) {
      problems.push(
        `Line ${n}: unit of measure ${line.uomCode} is not the unit of order line ${line.orderLineNo} (${ordered.uom_code})`,
      );
    }
    const quantity = parseQuantity(line.quantity);
    if (quantity === null || quantity.lte(0)) {
      problems.push(`Line ${n}: quantity must be greater than 0`);
      return;
    }
    shipping.set(
      line.orderLineNo,
      (shipping.get(line.orderLineNo) ?? new Decimal(0)).plus(quantity),
    );
  });
  for (const [lineNo, quantity] of shipping) {
    const ordered = byNo.get(lineNo);
    if (!ordered) continue;
    const open = new Decimal(ordered.quantity).minus(ordered.shipped_qty);
    if (quantity.gt(open)) {
      problems.push(
        `Order line ${lineNo}: shipping ${quantity.toString()} exceeds the open quantity ${open.toString()}`,
      );
    }
  }
  if (problems.length > 0) return { posted: false, problems };

  const shipped = input.lines.map((l) => byNo.get(l.orderLineNo) as OrderLineRow);
  const fromWarehouse = shipped.find((l) => l.warehouse_code !== null)?.warehouse_code ?? null;
  const fromSupplier = shipped.find((l) => l.supplier_no !== null)?.supplier_no ?? null;
  const { rows: numbered } = await sql.query<{ shipment_no: string }>(
    `INSERT INTO sh_shipment_header (
       shipment_no, order_no, external_reference, customer_no, ship_date, warehouse_code,
       supplier_no, shipping_agent_code, shipping_service_code, tracking_numbers, tracking_url,
       hub_shipment_reference, import_id, posted_by)
     SELECT 'SH' || nextval('sh_shipment_no_seq'), o.order_no, o.external_reference,
            o.customer_no, COALESCE($2::date, current_date), $3, $4, $5, $6, $7::text[], $8, $9,
            $10::bigint, $11
       FROM so_order_header o WHERE o.order_no = $1
     RETURNING shipment_no`,
    [
      input.orderNo,
      input.shipDate,
      fromWarehouse,
      fromSupplier,
      input.carrier,
      input.service,
      input.trackingNumbers,
      input.trackingUrl,
      input.hubShipmentReference,
      input.importId,
      input.postedBy,
    ],
  );
  const shipmentNo = numbered[0].shipment_no;
  for (const [index, line] of input.lines.entries()) {
    const ordered = shipped[index];
    const { rows } = await sql.query<{ base_quantity: string }>(
      `INSERT INTO sh_shipment_line (shipment_no, line_no, order_line_no, item_no, uom_code,
                                     quantity, base_quantity, lot_no, serial_nos)
       SELECT $1, $2, l.line_no, l.item_no, l.uom_code, $4::numeric,
              $4::numeric * l.conversion_factor, $5, $6::text[]
         FROM so_order_line l WHERE l.order_no = $7 AND l.line_no = $3
       RETURNING base_quantity::text AS base_quantity`,
      [
        shipmentNo,
        index + 1,
        line.orderLineNo,
        line.quantity,
        line.lotNo,
        line.serialNos,
        input.orderNo,
      ],
    );
    await sql.query(
      `UPDATE so_order_line
          SET shipped_qty = shipped_qty + $3::numeric,
              status = CASE WHEN shipped_qty + $3::numeric >= quantity THEN 'SHIPPED' ELSE status END
        WHERE order_no = $1 AND line_no = $2`,
      [input.orderNo, line.orderLineNo, line.quantity],
    );
    if (ordered.fulfillment_type === 'STOCK' && ordered.warehouse_code !== null) {
      await takeFromStock(
        sql,
        ordered.item_no,
        ordered.warehouse_code,
        line.lotNo,
        rows[0].base_quantity,
      );
    }
  }
  await touchOrder(sql, input.orderNo, input.postedBy);
  return { posted: true, shipmentNo };
}

/**
 * After a change to an order's lines: the order's total, its status (SHIPPED once no line is
 * open and one shipped), and who changed it (which also moves its updated_at).
 */
export async function touchOrder(sql: ErpSql, orderNo: string, changedBy: string): Promise<void> {
  await sql.query(
    `UPDATE so_order_header o
        SET changed_by = $2,
            total_amount = COALESCE((SELECT sum(line_amount) FROM so_order_line l
                                      WHERE l.order_no = o.order_no AND l.status <> 'CANCELLED'), 0),
            status = CASE
              WHEN o.status IN ('OPEN', 'RELEASED')
               AND NOT EXISTS (SELECT 1 FROM so_order_line l
                                WHERE l.order_no = o.order_no AND l.status = 'OPEN')
               AND EXISTS (SELECT 1 FROM so_order_line l
                            WHERE l.order_no = o.order_no AND l.status = 'SHIPPED')
              THEN 'SHIPPED' ELSE o.status END
      WHERE o.order_no = $1`,
    [orderNo, changedBy],
  );
}

function parseQuantity(value: string): Decimal | null {
  try {
    const quantity = new Decimal(value);
    return quantity.isFinite() ? quantity : null;
  } catch {
    return null;
  }
}
