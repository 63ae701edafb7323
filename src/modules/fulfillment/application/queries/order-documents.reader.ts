import { Injectable } from '@nestjs/common';
import { type OrderDocuments, OrderDocumentsReader } from '../../../orders/index.js';
import { InvoiceRepository } from '../../infrastructure/invoice.repository.js';
import { ShipmentRepository } from '../../infrastructure/shipment.repository.js';

/** The orders module's OrderDocumentsReader: an order's shipments (with tracking) and invoices. */
@Injectable()
export class FulfillmentDocumentsReader extends OrderDocumentsReader {
  constructor(
    private readonly shipments: ShipmentRepository,
    private readonly invoices: InvoiceRepository,
  ) {
    super();
  }

  async forOrder(orderId: string): Promise<OrderDocuments> {
    const [shipments, invoices] = await Promise.all([
      this.shipments.forOrder(orderId),
      this.invoices.forOrder(orderId),
    ]);
    return {
      shipments: shipments.map((s) => ({
        id: s.id,
        shipmentNumber: s.shipmentNumber,
        source: s.source,
        externalReference: s.externalReference,
        shipDate: s.shipDate,
        carrier: s.carrier,
        service: s.service,
        trackingNumbers: s.trackingNumbers,
        trackingUrl: s.trackingUrl,
        erpPosting: s.erpPosting,
        erpShipmentNo: s.erpShipmentNo,
        lines: s.lines.map((l) => ({
          orderLineNo: l.orderLineNo,
          sku: l.sku,
          quantity: l.quantity,
          uom: l.uom,
        })),
      })),
      invoices: invoices.map((i) => ({
        id: i.id,
        invoiceNumber: i.invoiceNumber,
        status: i.status,
        invoiceDate: i.invoiceDate,
        dueDate: i.dueDate,
        currency: i.currency,
        amountIncludingTax: i.amountIncludingTax,
        remainingAmount: i.remainingAmount,
      })),
    };
  }
}
