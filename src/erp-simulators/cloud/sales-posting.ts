import { Decimal } from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { BcError, bcErrors } from './bc-error.js';
import type { DemoPaymentTerms } from '../demo-data/index.js';
import type { EntityTable, SandboxClock, TableRow } from './entity-table.js';
import type {
  PostShipmentOptions,
  SandboxSalesInvoice,
  SandboxSalesInvoiceLine,
  SandboxSalesOrder,
  SandboxSalesOrderLine,
  SandboxSalesShipment,
  SandboxSalesShipmentLine,
  SandboxShipmentConfirmation,
  SandboxShipmentTracking,
  ShipLine,
} from './sales-documents.js';

/** What posting needs of the store (CloudErpStore): its tables, clock and stock bookkeeping. */
export interface PostingStore {
  readonly clock: SandboxClock;
  readonly tables: {
    paymentTerms: EntityTable<DemoPaymentTerms>;
    salesOrders: EntityTable<SandboxSalesOrder>;
    salesOrderLines: EntityTable<SandboxSalesOrderLine>;
    salesShipments: EntityTable<SandboxSalesShipment>;
    salesShipmentLines: EntityTable<SandboxSalesShipmentLine>;
    salesInvoices: EntityTable<SandboxSalesInvoice>;
    salesInvoiceLines: EntityTable<SandboxSalesInvoiceLine>;
    shipmentConfirmations: EntityTable<SandboxShipmentConfirmation>;
  };
  adjustAllocation(balanceId: string, allocated: Decimal, onHand?: Decimal): void;
  recalculate(order: TableRow<SandboxSalesOrder>): void;
}

/*
 * Posting sales orders in the sandbox ERP, as Business Central's "Sales-Post" does it
 * (shared/erp/business-central-api-v2.md §5.6–5.11): a shipment posts a Sales Shipment Header
 * with one line per shipped order line (no link back to the order line in the API), an invoice
 * posts a Sales Invoice Header for what was shipped and not invoiced yet, and an order that is
 * completely shipped and invoiced is deleted, as BC deletes it after posting.
 */

/** Tracking links by shipping agent (BC: the Shipping Agent's "Internet Address", %1 = number). */
const AGENT_URLS: Record<string, string> = {
  UPS: 'https://www.ups.com/track?tracknum=%1',
  FEDEX: 'https://www.fedex.com/fedextrack/?trknbr=%1',
  DHL: 'https://www.dhl.com/en/express/tracking.html?AWB=%1',
  USPS: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=%1',
};

/** Field lengths of the tracking and confirmation fields (BC Code[10], Text[30], ...). */
const TRACKING_LENGTHS: Record<string, number> = {
  shippingAgentCode: 10,
  shippingAgentServiceCode: 10,
  packageTrackingNo: 30,
  packageTrackingNos: 250,
  trackingUrl: 250,
  hubShipmentReference: 35,
  externalDocumentNumber: 35,
  orderNumber: 20,
};

const CONFIRMATION_FIELDS = new Set([
  'hubShipmentReference',
  'externalDocumentNumber',
  'orderNumber',
  'shipmentDate',
  'shippingAgentCode',
  'shippingAgentServiceCode',
  'packageTrackingNo',
  'packageTrackingNos',
  'trackingUrl',
  'lines',
]);

export class SalesPosting {
  private nextShipmentNo = 102001;
  private nextInvoiceNo = 103001;

  constructor(private readonly store: PostingStore) {}

  /**
   * Posts a shipment of these order lines (Ship only): quantities in the line's unit, at most
   * what is still to ship. Stock leaves the line's location and its allocation.
   */
  ship(
    orderId: string,
    lines: ShipLine[],
    options: PostShipmentOptions = {},
  ): TableRow<SandboxSalesShipment> {
    const t = this.store.tables;
    const order = t.salesOrders.get(orderId);
    if (!order) throw bcErrors.notFound('salesOrder');
    const byLine = new Map<string, Decimal>();
    for (const { sequence, quantity } of lines) {
      const line = this.orderLine(order, sequence);
      const qty = new Decimal(quantity);
      if (!qty.isPositive() || qty.isZero()) {
        throw new BcError(400, 'Application_DialogException', 'Qty. to Ship must be positive.');
      }
      const total = (byLine.get(line.id) ?? new Decimal(0)).plus(qty);
      const outstanding = new Decimal(line.data.quantity).minus(line.data.shippedQuantity);
      if (total.greaterThan(outstanding)) {
        throw new BcError(
          400,
          'Application_DialogException',
          `You cannot ship more than ${outstanding.toString()} units. Document Type='Order',Document No.='${order.data.number}',Line No.='${line.data.sequence}'`,
        );
      }
      byLine.set(line.id, total);
    }
    if (byLine.size === 0) {
      throw new BcError(400, 'Application_DialogException', 'There is nothing to post.');
    }
    const today = this.store.clock.today();
    const postingDate = options.postingDate ?? today;
    const tracking = trackingOf(options.tracking ?? {});
    const number = String(this.nextShipmentNo++);
    const id = randomUUID();
    const o = order.data;
    const header: SandboxSalesShipment = {
      number,
      orderId: order.id,
      orderNumber: o.number,
      externalDocumentNumber: o.externalDocumentNumber,
      postingDate,
      invoiceDate: null,
      dueDate: null,
      customerNumber: o.customerNumber,
      customerName: o.customerName,
      billToName: o.billToName,
      billToCustomerNumber: o.billToCustomerNumber,
      shipToName: o.shipToName,
      shipToContact: o.shipToContact,
      sellTo: { ...o.sellTo },
      billTo: { ...o.billTo },
      shipTo: { ...o.shipTo },
      currencyCode: o.currencyCode,
      paymentTermsCode: o.paymentTermsId
        ? (t.paymentTerms.get(o.paymentTermsId)?.data.code ?? '')
        : '',
      salesperson: o.salesperson,
      phoneNumber: o.phoneNumber,
      email: o.email,
      ...tracking,
      hubShipmentReference: options.hubShipmentReference ?? '',
      lineIds: [],
    };
    // Lines in the order's line order, as BC copies them.
    const shippedLines = o.lineIds
      .map((lineId) => t.salesOrderLines.get(lineId))
      .filter((l): l is TableRow<SandboxSalesOrderLine> => !!l && byLine.has(l.id));
    const shipment = t.salesShipments.insert(id, header);
    for (const line of shippedLines) {
      const qty = byLine.get(line.id) as Decimal;
      const l = line.data;
      const lineId = randomUUID();
      t.salesShipmentLines.insert(
        lineId,
        {
          documentId: id,
          documentNo: number,
          sequence: l.sequence,
          lineType: 'Item',
          lineObjectNumber: l.lineObjectNumber,
          description: l.description,
          unitOfMeasureCode: l.unitOfMeasureCode,
          unitPrice: l.unitPrice,
          quantity: qty.toString(),
          discountPercent: l.discountPercent,
          taxPercent: l.taxPercent,
          shipmentDate: postingDate,
        },
        shipment.modifiedMs,
      );
      shipment.data.lineIds.push(lineId);
      this.takeStock(l, qty);
      t.salesOrderLines.update(line.id, (d) => {
        d.shippedQuantity = new Decimal(d.shippedQuantity).plus(qty).toString();
        d.shipQuantity = new Decimal(d.quantity).minus(d.shippedQuantity).toString();
        d.invoiceQuantity = new Decimal(d.shippedQuantity).minus(d.invoicedQuantity).toString();
      });
    }
    this.touchOrder(order);
    return shipment;
  }

  /** Posts an invoice of everything shipped and not invoiced yet (Invoice only). */
  invoice(orderId: string): TableRow<SandboxSalesInvoice> {
    const t = this.store.tables;
    const order = t.salesOrders.get(orderId);
    if (!order) throw bcErrors.notFound('salesOrder');
    const toInvoice = order.data.lineIds
      .map((lineId) => t.salesOrderLines.get(lineId))
      .filter((l): l is TableRow<SandboxSalesOrderLine> => !!l)
      .map((l) => ({
        line: l,
        qty: new Decimal(l.data.shippedQuantity).minus(l.data.invoicedQuantity),
      }))
      .filter(({ qty }) => qty.greaterThan(0));
    if (toInvoice.length === 0) {
      throw new BcError(400, 'Application_DialogException', 'There is nothing to post.');
    }
    const o = order.data;
    const today = this.store.clock.today();
    const terms = o.paymentTermsId ? t.paymentTerms.get(o.paymentTermsId)?.data : undefined;
    const due = new Date(`${today}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + (terms?.dueDays ?? 0));
    const id = randomUUID();
    let excl = new Decimal(0);
    let tax = new Decimal(0);
    const lines: SandboxSalesInvoiceLine[] = toInvoice.map(({ line, qty }) => {
      const l = line.data;
      const gross = qty.mul(l.unitPrice);
      // A line discount amount is spread over the line's quantity, as BC prorates it.
      const discount = new Decimal(l.discountAmount)
        .mul(qty)
        .div(new Decimal(l.quantity).isZero() ? 1 : l.quantity);
      const amount = gross
        .minus(gross.mul(l.discountPercent).div(100))
        .minus(discount)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const lineTax = amount.mul(l.taxPercent).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      excl = excl.plus(amount);
      tax = tax.plus(lineTax);
      return {
        documentId: id,
        sequence: l.sequence,
        itemId: l.itemId,
        lineType: 'Item',
        lineObjectNumber: l.lineObjectNumber,
        description: l.description,
        unitOfMeasureId: l.unitOfMeasureId,
        unitOfMeasureCode: l.unitOfMeasureCode,
        quantity: qty.toString(),
        unitPrice: l.unitPrice,
        discountAmount: discount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
        discountPercent: l.discountPercent,
        amountExcludingTax: amount.toFixed(2),
        taxCode: l.taxCode,
        taxPercent: l.taxPercent,
        totalTaxAmount: lineTax.toFixed(2),
        amountIncludingTax: amount.plus(lineTax).toFixed(2),
        shipmentDate: l.shipmentDate,
      };
    });
    const header: SandboxSalesInvoice = {
      number: String(this.nextInvoiceNo++),
      orderId: order.id,
      orderNumber: o.number,
      externalDocumentNumber: o.externalDocumentNumber,
      invoiceDate: today,
      postingDate: today,
      dueDate: due.toISOString().slice(0, 10),
      customerId: o.customerId,
      customerNumber: o.customerNumber,
      customerName: o.customerName,
      billToCustomerId: o.billToCustomerId,
      billToCustomerNumber: o.billToCustomerNumber,
      billToName: o.billToName,
      shipToName: o.shipToName,
      shipToContact: o.shipToContact,
      sellTo: { ...o.sellTo },
      billTo: { ...o.billTo },
      shipTo: { ...o.shipTo },
      currencyId: o.currencyId,
      currencyCode: o.currencyCode,
      paymentTermsId: o.paymentTermsId,
      salesperson: o.salesperson,
      discountAmount: '0',
      totalAmountExcludingTax: excl.toFixed(2),
      totalTaxAmount: tax.toFixed(2),
      totalAmountIncludingTax: excl.plus(tax).toFixed(2),
      remainingAmount: excl.plus(tax).toFixed(2),
      status: 'Open',
      phoneNumber: o.phoneNumber,
      email: o.email,
      lineIds: [],
    };
    const invoice = t.salesInvoices.insert(id, header);
    for (const line of lines) {
      const lineId = randomUUID();
      t.salesInvoiceLines.insert(lineId, line, invoice.modifiedMs);
      invoice.data.lineIds.push(lineId);
    }
    for (const { line, qty } of toInvoice) {
      t.salesOrderLines.update(line.id, (d) => {
        d.invoicedQuantity = new Decimal(d.invoicedQuantity).plus(qty).toString();
        d.invoiceQuantity = new Decimal(d.shippedQuantity).minus(d.invoicedQuantity).toString();
      });
    }
    this.completeOrDelete(order);
    return invoice;
  }

  /**
   * `Microsoft.NAV.shipAndInvoice`: ships each line's shipQuantity (everything still open when
   * no line has one), then invoices what was shipped.
   */
  shipAndInvoice(orderId: string): void {
    const order = this.store.tables.salesOrders.get(orderId);
    if (!order) throw bcErrors.notFound('salesOrder');
    const lines = this.linesOf(order);
    let ship = lines
      .filter((l) => new Decimal(l.data.shipQuantity).greaterThan(0))
      .map((l) => ({ sequence: l.data.sequence, quantity: l.data.shipQuantity }));
    if (ship.length === 0) {
      ship = lines
        .map((l) => ({
          sequence: l.data.sequence,
          quantity: new Decimal(l.data.quantity).minus(l.data.shippedQuantity).toString(),
        }))
        .filter((l) => new Decimal(l.quantity).greaterThan(0));
    }
    if (ship.length > 0) this.ship(orderId, ship);
    this.invoice(orderId);
  }

  /** An ERP user changes a line's ordered quantity (not below what has shipped). */
  setLineQuantity(orderId: string, sequence: number, quantity: string): void {
    const t = this.store.tables;
    const order = t.salesOrders.get(orderId);
    if (!order) throw bcErrors.notFound('salesOrder');
    const line = this.orderLine(order, sequence);
    const qty = new Decimal(quantity);
    if (qty.lessThan(line.data.shippedQuantity)) {
      throw new BcError(
        400,
        'Application_DialogException',
        `Quantity cannot be less than the shipped quantity ${line.data.shippedQuantity}.`,
      );
    }
    const before = new Decimal(line.data.quantity);
    t.salesOrderLines.update(line.id, (d) => {
      d.quantity = qty.toString();
      d.shipQuantity = qty.minus(d.shippedQuantity).toString();
    });
    const allocation = line.data.allocation;
    if (allocation && !before.isZero()) {
      // The allocation follows the ordered quantity (base units per line unit stay the same).
      const perUnit = new Decimal(allocation.baseQuantity).div(
        before.minus(line.data.shippedQuantity).isZero()
          ? 1
          : before.minus(line.data.shippedQuantity),
      );
      const next = qty.minus(line.data.shippedQuantity).mul(perUnit);
      this.store.adjustAllocation(allocation.balanceId, next.minus(allocation.baseQuantity));
      allocation.baseQuantity = next.toString();
    }
    this.touchOrder(order);
  }

  /** The ERP user changes a posted shipment's tracking ("Update Document" in BC). */
  setTracking(shipmentId: string, tracking: Partial<SandboxShipmentTracking>): void {
    const t = this.store.tables;
    if (!t.salesShipments.get(shipmentId)) throw bcErrors.notFound('salesShipment');
    checkLengths(tracking as Record<string, unknown>);
    t.salesShipments.update(shipmentId, (s) => Object.assign(s, trackingOf({ ...s, ...tracking })));
  }

  /**
   * POST shipmentConfirmations (crossdock extension): posts a ship-only shipment of the order
   * with this external document number and keeps the hub's reference. The reference is the
   * table's primary key: a second POST of it is refused.
   */
  confirmShipment(body: Record<string, unknown>): TableRow<SandboxShipmentConfirmation> {
    for (const field of Object.keys(body)) {
      if (field.startsWith('@odata.')) continue;
      if (!CONFIRMATION_FIELDS.has(field)) {
        throw bcErrors.badRequest(
          `The property '${field}' does not exist on type 'Microsoft.NAV.shipmentConfirmation'. Make sure to only use property names that are defined by the type.`,
        );
      }
    }
    checkLengths(body);
    const text = (field: string): string => {
      const value = body[field];
      if (value === undefined || value === null) return '';
      if (typeof value !== 'string')
        throw bcErrors.badRequest(`Cannot convert the value of '${field}' to Edm.String.`);
      return value;
    };
    const reference = text('hubShipmentReference');
    if (reference === '') {
      throw new BcError(
        400,
        'BadRequest_RequiredParamNotProvided',
        'A hubShipmentReference must be provided.',
      );
    }
    const t = this.store.tables;
    if (t.shipmentConfirmations.find((c) => c.hubShipmentReference === reference)) {
      throw new BcError(
        400,
        'Internal_EntityWithSameKeyExists',
        `The record in table Crossdock Shipment Confirmation already exists. Identification fields and values: Hub Shipment Reference='${reference}'`,
      );
    }
    const orderNumber = text('orderNumber');
    const external = text('externalDocumentNumber');
    const order = orderNumber
      ? t.salesOrders.find((o) => o.number === orderNumber)
      : external
        ? t.salesOrders
            .sorted()
            .filter((o) => o.data.externalDocumentNumber === external)
            .sort((a, b) => a.data.number.localeCompare(b.data.number))[0]
        : undefined;
    if (!order) {
      throw new BcError(
        400,
        'Internal_RecordNotFound',
        `The Sales Header does not exist. Identification fields and values: Document Type='Order',No.='${orderNumber || external}'`,
      );
    }
    if (external && order.data.externalDocumentNumber !== external) {
      throw new BcError(
        400,
        'Application_DialogException',
        `Order ${order.data.number} has External Document No. '${order.data.externalDocumentNumber}', not '${external}'.`,
      );
    }
    const rawLines = body.lines;
    if (!Array.isArray(rawLines) || rawLines.length === 0) {
      throw new BcError(400, 'BadRequest_RequiredParamNotProvided', 'lines must be provided.');
    }
    const lines = rawLines.map((raw): ShipLine => {
      const r = raw as Record<string, unknown>;
      const quantity =
        typeof r.quantity === 'number'
          ? String(r.quantity)
          : typeof r.quantity === 'string'
            ? r.quantity
            : '';
      if (typeof r.sequence !== 'number' || !/^-?\d+(\.\d+)?$/.test(quantity)) {
        throw bcErrors.badRequest('Each line needs a sequence (integer) and a quantity (decimal).');
      }
      return { sequence: r.sequence, quantity };
    });
    const shipmentDate = text('shipmentDate') || this.store.clock.today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(shipmentDate)) {
      throw bcErrors.badRequest(
        `Cannot convert the literal '${shipmentDate}' to the expected type 'Edm.Date'.`,
      );
    }
    const tracking = trackingOf({
      shippingAgentCode: text('shippingAgentCode'),
      shippingAgentServiceCode: text('shippingAgentServiceCode'),
      packageTrackingNo: text('packageTrackingNo'),
      packageTrackingNos: text('packageTrackingNos'),
      trackingUrl: text('trackingUrl'),
    });
    // Posting fails as a whole (BC rolls the insert back with the posting error).
    const shipment = this.ship(order.id, lines, {
      postingDate: shipmentDate,
      tracking,
      hubShipmentReference: reference,
    });
    return t.shipmentConfirmations.insert(randomUUID(), {
      hubShipmentReference: reference,
      externalDocumentNumber: order.data.externalDocumentNumber,
      orderNumber: order.data.number,
      shipmentDate,
      ...tracking,
      status: 'Posted',
      shipmentNumber: shipment.data.number,
      shipmentId: shipment.id,
      lines,
    });
  }

  private linesOf(order: TableRow<SandboxSalesOrder>): TableRow<SandboxSalesOrderLine>[] {
    return order.data.lineIds
      .map((lineId) => this.store.tables.salesOrderLines.get(lineId))
      .filter((l): l is TableRow<SandboxSalesOrderLine> => !!l);
  }

  private orderLine(
    order: TableRow<SandboxSalesOrder>,
    sequence: number,
  ): TableRow<SandboxSalesOrderLine> {
    const line = this.linesOf(order).find((l) => l.data.sequence === sequence);
    if (!line) {
      throw new BcError(
        400,
        'Internal_RecordNotFound',
        `The Sales Line does not exist. Identification fields and values: Document Type='Order',Document No.='${order.data.number}',Line No.='${sequence}'`,
      );
    }
    return line;
  }

  /** Shipped stock leaves on-hand and the line's allocation (base units). */
  private takeStock(line: SandboxSalesOrderLine, qty: Decimal): void {
    const allocation = line.allocation;
    if (!allocation) return;
    const outstanding = new Decimal(line.quantity).minus(line.shippedQuantity);
    const perUnit = outstanding.isZero()
      ? new Decimal(0)
      : new Decimal(allocation.baseQuantity).div(outstanding);
    const base = qty.mul(perUnit);
    this.store.adjustAllocation(allocation.balanceId, base.neg(), base.neg());
    allocation.baseQuantity = Decimal.max(
      0,
      new Decimal(allocation.baseQuantity).minus(base),
    ).toString();
  }

  /** Posting releases the order and stamps it (BC: a change to lines changes the header). */
  private touchOrder(order: TableRow<SandboxSalesOrder>): void {
    const lines = this.linesOf(order);
    this.store.tables.salesOrders.update(order.id, (o) => {
      o.status = 'Open';
      o.fullyShipped = lines.every((l) => new Decimal(l.data.shippedQuantity).gte(l.data.quantity));
    });
    this.store.recalculate(order);
  }

  /** BC deletes an order once every line is completely shipped and invoiced. */
  private completeOrDelete(order: TableRow<SandboxSalesOrder>): void {
    const lines = this.linesOf(order);
    const done = lines.every(
      (l) =>
        new Decimal(l.data.shippedQuantity).gte(l.data.quantity) &&
        new Decimal(l.data.invoicedQuantity).gte(l.data.quantity),
    );
    if (!done) {
      this.touchOrder(order);
      return;
    }
    for (const line of lines) this.store.tables.salesOrderLines.delete(line.id);
    this.store.tables.salesOrders.delete(order.id);
  }
}

function trackingOf(tracking: Partial<SandboxShipmentTracking>): SandboxShipmentTracking {
  const agent = (tracking.shippingAgentCode ?? '').toUpperCase();
  const first =
    tracking.packageTrackingNo ||
    (tracking.packageTrackingNos ?? '')
      .split(',')
      .map((s) => s.trim())
      .find((s) => s !== '') ||
    '';
  const template = AGENT_URLS[agent];
  return {
    shippingAgentCode: agent,
    shippingAgentServiceCode: (tracking.shippingAgentServiceCode ?? '').toUpperCase(),
    packageTrackingNo: first.slice(0, 30),
    packageTrackingNos: tracking.packageTrackingNos ?? '',
    trackingUrl:
      tracking.trackingUrl || (template && first ? template.replace('%1', first) : '') || '',
  };
}

function checkLengths(body: Record<string, unknown>): void {
  for (const [field, max] of Object.entries(TRACKING_LENGTHS)) {
    const value = body[field];
    if (typeof value === 'string' && value.length > max) {
      throw new BcError(
        400,
        'Application_StringExceededLength',
        `The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}`,
      );
    }
  }
}
