import { Decimal } from 'decimal.js';
import { type ErpSql, type ErpSqlTarget, inErpTransaction, withErpConnection } from './erp-sql.js';
import { allocate, releaseAllocation } from './erp-stock.js';
import { postSalesShipment, touchOrder } from './sales-shipment-posting.js';

export interface ErpUserShipLine {
  /** The order line (so_order_line.line_no = the hub document's lineNo for imported orders). */
  lineNo: number;
  quantity: string;
  lotNo?: string | null;
  serialNos?: string[];
}

export interface ErpUserTracking {
  carrier: string;
  trackingNumber: string;
  service?: string | null;
  trackingUrl?: string | null;
}

/** A posted shipment as the ERP holds it (for exactly-once checks). */
export interface ErpPostedShipment {
  shipmentNo: string;
  erpOrderNumber: string;
  lines: { orderLineNo: number; sku: string; quantity: string }[];
}

/** An ERP user refused by the ERP (nothing written). */
export class ErpUserActionError extends Error {
  override readonly name = 'ErpUserActionError';
}

/**
 * What the reference ERP's users do to orders after the hub created them, for tests and demos:
 * ship, invoice, cancel, change a quantity. Each works as the ERP's own screens would, in one
 * transaction with the order locked, and records the user in `so_order_header.changed_by`
 * (which, through the touch trigger, moves the order's `updated_at`).
 */
export class ErpUser {
  constructor(
    private readonly target: ErpSqlTarget,
    readonly userId = 'ERP.CLERK',
  ) {}

  /** Posts a shipment of these order lines (today); answers the ERP shipment number. */
  ship(
    externalReference: string,
    lines: ErpUserShipLine[],
    tracking?: ErpUserTracking,
  ): Promise<string> {
    return inErpTransaction(this.target, async (sql) => {
      const orderNo = await orderOf(sql, externalReference);
      const result = await postSalesShipment(sql, {
        orderNo,
        shipDate: null,
        carrier: tracking?.carrier ?? null,
        service: tracking?.service ?? null,
        trackingNumbers: tracking ? [tracking.trackingNumber] : [],
        trackingUrl: tracking?.trackingUrl ?? null,
        hubShipmentReference: null,
        importId: null,
        postedBy: this.userId,
        lines: lines.map((l) => ({
          orderLineNo: l.lineNo,
          itemNo: null,
          uomCode: null,
          quantity: l.quantity,
          lotNo: l.lotNo ?? null,
          serialNos: l.serialNos ?? [],
        })),
      });
      if (!result.posted) {
        throw new ErpUserActionError(`The ERP refused the shipment: ${result.problems.join('; ')}`);
      }
      return result.shipmentNo;
    });
  }

  /**
   * Invoices everything shipped and not yet invoiced (today, due by the customer's terms), with
   * sales tax at the customer's tax area rate on taxable items (none for tax-exempt customers);
   * answers the invoice number. The order becomes INVOICED once fully shipped and invoiced.
   */
  invoice(externalReference: string): Promise<string> {
    return inErpTransaction(this.target, async (sql) => {
      const orderNo = await orderOf(sql, externalReference);
      const { rows: open } = await sql.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM so_order_line
          WHERE order_no = $1 AND shipped_qty > invoiced_qty`,
        [orderNo],
      );
      if (open[0].n === '0') {
        throw new ErpUserActionError(`Order ${orderNo} has nothing shipped to invoice`);
      }
      const { rows } = await sql.query<{ invoice_no: string }>(
        `INSERT INTO ar_invoice_header (
           invoice_no, order_no, external_reference, customer_no, invoice_date, due_date,
           currency_code, amount_excl_tax, tax_amount, amount_incl_tax, remaining_amount,
           posted_by)
         SELECT 'INV' || nextval('ar_invoice_no_seq'), o.order_no, o.external_reference,
                o.customer_no, current_date, current_date + COALESCE(t.due_days, 0),
                o.currency_code, 0, 0, 0, 0, $2
           FROM so_order_header o
           JOIN ar_customer c ON c.customer_no = o.customer_no
           LEFT JOIN ar_terms t ON t.terms_code = c.terms_code
          WHERE o.order_no = $1
         RETURNING invoice_no`,
        [orderNo, this.userId],
      );
      const invoiceNo = rows[0].invoice_no;
      await sql.query(
        `INSERT INTO ar_invoice_line (invoice_no, line_no, order_line_no, item_no, uom_code,
                                      quantity, unit_price, line_amount, tax_amount)
         SELECT $1, row_number() OVER (ORDER BY l.line_no), l.line_no, l.item_no, l.uom_code,
                q.qty, l.unit_price, q.amount,
                round(q.amount * CASE WHEN c.tax_liable AND i.tax_class = 'TAXABLE'
                                      THEN COALESCE(ta.rate_percent, 0) ELSE 0 END / 100, 2)
           FROM so_order_line l
           JOIN so_order_header o ON o.order_no = l.order_no
           JOIN ar_customer c ON c.customer_no = o.customer_no
           LEFT JOIN tx_tax_area ta ON ta.tax_area_code = c.tax_area_code
           JOIN in_item i ON i.item_no = l.item_no
           CROSS JOIN LATERAL (
             SELECT l.shipped_qty - l.invoiced_qty AS qty,
                    round((l.shipped_qty - l.invoiced_qty) * l.unit_price, 2) AS amount) q
          WHERE l.order_no = $2 AND l.shipped_qty > l.invoiced_qty`,
        [invoiceNo, orderNo],
      );
      await sql.query(
        `UPDATE ar_invoice_header h
            SET amount_excl_tax = s.excl, tax_amount = s.tax, amount_incl_tax = s.excl + s.tax,
                remaining_amount = s.excl + s.tax
           FROM (SELECT sum(line_amount) AS excl, sum(tax_amount) AS tax
                   FROM ar_invoice_line WHERE invoice_no = $1) s
          WHERE h.invoice_no = $1`,
        [invoiceNo],
      );
      await sql.query(
        `UPDATE so_order_line SET invoiced_qty = shipped_qty
          WHERE order_no = $1 AND shipped_qty > invoiced_qty`,
        [orderNo],
      );
      await touchOrder(sql, orderNo, this.userId);
      await sql.query(
        `UPDATE so_order_header o SET status = 'INVOICED'
          WHERE o.order_no = $1 AND o.status = 'SHIPPED'
            AND NOT EXISTS (SELECT 1 FROM so_order_line l
                             WHERE l.order_no = o.order_no AND l.invoiced_qty < l.shipped_qty)`,
        [orderNo],
      );
      return invoiceNo;
    });
  }

  /** The customer paid the invoice in full. */
  async payInvoice(invoiceNo: string): Promise<void> {
    await this.setInvoice(invoiceNo, `status = 'PAID', remaining_amount = 0`);
  }

  /** Cancels (credits) the invoice: its quantities are open to invoice again. */
  cancelInvoice(invoiceNo: string): Promise<void> {
    return inErpTransaction(this.target, async (sql) => {
      const { rows } = await sql.query<{ order_no: string | null; status: string }>(
        `SELECT order_no, status FROM ar_invoice_header WHERE invoice_no = $1 FOR UPDATE`,
        [invoiceNo],
      );
      const invoice = rows[0];
      if (!invoice) throw new ErpUserActionError(`Invoice ${invoiceNo} does not exist`);
      if (invoice.status === 'CANCELLED') return;
      await sql.query(
        `UPDATE ar_invoice_header SET status = 'CANCELLED', remaining_amount = 0
          WHERE invoice_no = $1`,
        [invoiceNo],
      );
      if (invoice.order_no === null) return;
      await sql.query(
        `UPDATE so_order_line l SET invoiced_qty = l.invoiced_qty - i.quantity
           FROM ar_invoice_line i
          WHERE i.invoice_no = $1 AND l.order_no = $2 AND l.line_no = i.order_line_no`,
        [invoiceNo, invoice.order_no],
      );
      await sql.query(
        `UPDATE so_order_header SET status = 'SHIPPED', changed_by = $2
          WHERE order_no = $1 AND status = 'INVOICED'`,
        [invoice.order_no, this.userId],
      );
    });
  }

  /** Cancels an order nothing of which has shipped; its stock allocation is given back. */
  cancelOrder(externalReference: string): Promise<void> {
    return inErpTransaction(this.target, async (sql) => {
      const orderNo = await orderOf(sql, externalReference);
      const { rows } = await sql.query<{ status: string }>(
        `SELECT status FROM so_order_header WHERE order_no = $1`,
        [orderNo],
      );
      const status = rows[0].status;
      if (status === 'CANCELLED') return;
      if (status !== 'OPEN' && status !== 'RELEASED') {
        throw new ErpUserActionError(`Order ${orderNo} is ${status}`);
      }
      const lines = await lockLines(sql, orderNo);
      if (lines.some((l) => new Decimal(l.shipped_qty).gt(0))) {
        throw new ErpUserActionError(`Order ${orderNo} has shipped lines`);
      }
      for (const l of lines) {
        if (l.status === 'OPEN' && l.fulfillment_type === 'STOCK' && l.warehouse_code !== null) {
          await releaseAllocation(sql, l.item_no, l.warehouse_code, l.open_base_qty);
        }
      }
      await sql.query(`UPDATE so_order_line SET status = 'CANCELLED' WHERE order_no = $1`, [
        orderNo,
      ]);
      await sql.query(
        `UPDATE so_order_header SET status = 'CANCELLED', changed_by = $2 WHERE order_no = $1`,
        [orderNo, this.userId],
      );
    });
  }

  /**
   * Changes a line's ordered quantity (not below what has shipped); the allocation follows, the
   * line is SHIPPED when nothing stays open, and the order's total and status are recomputed.
   */
  setLineQuantity(externalReference: string, lineNo: number, quantity: string): Promise<void> {
    return inErpTransaction(this.target, async (sql) => {
      const orderNo = await orderOf(sql, externalReference);
      const { rows } = await sql.query<{ status: string }>(
        `SELECT status FROM so_order_header WHERE order_no = $1`,
        [orderNo],
      );
      if (rows[0].status !== 'OPEN' && rows[0].status !== 'RELEASED') {
        throw new ErpUserActionError(`Order ${orderNo} is ${rows[0].status}`);
      }
      const line = (await lockLines(sql, orderNo)).find((l) => l.line_no === lineNo);
      if (!line || line.status === 'CANCELLED') {
        throw new ErpUserActionError(`Order ${orderNo} has no open line ${lineNo}`);
      }
      const next = new Decimal(quantity);
      if (next.lte(0) || next.lt(line.shipped_qty)) {
        throw new ErpUserActionError(
          `Line ${lineNo}: quantity ${quantity} must be > 0 and at least the shipped ${line.shipped_qty}`,
        );
      }
      const deltaBase = next
        .minus(line.quantity)
        .times(line.conversion_factor)
        .toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
      if (line.fulfillment_type === 'STOCK' && line.warehouse_code !== null) {
        if (deltaBase.gt(0)) {
          await allocate(sql, line.item_no, line.warehouse_code, deltaBase.toString());
        } else if (deltaBase.lt(0)) {
          await releaseAllocation(
            sql,
            line.item_no,
            line.warehouse_code,
            deltaBase.neg().toString(),
          );
        }
      }
      await sql.query(
        `UPDATE so_order_line
            SET quantity = $3::numeric, base_quantity = $3::numeric * conversion_factor,
                line_amount = round($3::numeric * unit_price, 2),
                status = CASE WHEN shipped_qty >= $3::numeric THEN 'SHIPPED' ELSE 'OPEN' END
          WHERE order_no = $1 AND line_no = $2`,
        [orderNo, lineNo, quantity],
      );
      await touchOrder(sql, orderNo, this.userId);
    });
  }

  /** Every posted shipment that carries this hub shipment reference. */
  shipmentsFor(hubShipmentReference: string): Promise<ErpPostedShipment[]> {
    return withErpConnection(this.target, async (sql) => {
      const { rows } = await sql.query<{
        shipment_no: string;
        order_no: string;
        order_line_no: number;
        item_no: string;
        quantity: string;
      }>(
        `SELECT h.shipment_no, h.order_no, l.order_line_no, l.item_no,
                l.quantity::text AS quantity
           FROM sh_shipment_header h JOIN sh_shipment_line l ON l.shipment_no = h.shipment_no
          WHERE h.hub_shipment_reference = $1
          ORDER BY h.shipment_no, l.line_no`,
        [hubShipmentReference],
      );
      const shipments = new Map<string, ErpPostedShipment>();
      for (const r of rows) {
        let shipment = shipments.get(r.shipment_no);
        if (!shipment) {
          shipment = { shipmentNo: r.shipment_no, erpOrderNumber: r.order_no, lines: [] };
          shipments.set(r.shipment_no, shipment);
        }
        shipment.lines.push({ orderLineNo: r.order_line_no, sku: r.item_no, quantity: r.quantity });
      }
      return [...shipments.values()];
    });
  }

  private async setInvoice(invoiceNo: string, assignments: string): Promise<void> {
    await inErpTransaction(this.target, async (sql) => {
      const { rowCount } = await sql.query(
        `UPDATE ar_invoice_header SET ${assignments} WHERE invoice_no = $1`,
        [invoiceNo],
      );
      if (rowCount === 0) throw new ErpUserActionError(`Invoice ${invoiceNo} does not exist`);
    });
  }
}

/** The order carrying the reference, locked for the user's change. */
async function orderOf(sql: ErpSql, externalReference: string): Promise<string> {
  const { rows } = await sql.query<{ order_no: string }>(
    `SELECT order_no FROM so_order_header WHERE external_reference = $1 FOR UPDATE`,
    [externalReference],
  );
  if (!rows[0]) {
    throw new ErpUserActionError(`No ERP order carries external reference ${externalReference}`);
  }
  return rows[0].order_no;
}

interface LockedLine {
  line_no: number;
  item_no: string;
  status: string;
  quantity: string;
  shipped_qty: string;
  conversion_factor: string;
  open_base_qty: string;
  fulfillment_type: string;
  warehouse_code: string | null;
}

async function lockLines(sql: ErpSql, orderNo: string): Promise<LockedLine[]> {
  const { rows } = await sql.query<LockedLine>(
    `SELECT line_no, item_no, status, quantity::text AS quantity, shipped_qty::text AS shipped_qty,
            conversion_factor::text AS conversion_factor,
            ((quantity - shipped_qty) * conversion_factor)::text AS open_base_qty,
            fulfillment_type, warehouse_code
       FROM so_order_line WHERE order_no = $1 ORDER BY line_no FOR UPDATE`,
    [orderNo],
  );
  return rows;
}
