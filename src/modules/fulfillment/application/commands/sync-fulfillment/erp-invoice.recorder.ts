import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import { contentHash } from '../../../../../platform/delta-sync/index.js';
import { ExceptionsService } from '../../../../../platform/exceptions/index.js';
import {
  type FulfillmentOrder,
  OrderFulfillment,
  QuantitiesDoNotClearError,
} from '../../../../orders/index.js';
import type { ErpInvoice } from '../../../domain/erp-fulfillment.js';
import type { FulfillmentViolation } from '../../../domain/fulfillment-violation.js';
import { matchLines } from '../../../domain/line-matching.js';
import { countsAsInvoiced, type InvoiceLine } from '../../../domain/shipment.js';
import { InvoiceRepository } from '../../../infrastructure/invoice.repository.js';
import { FulfillmentMetrics } from '../../fulfillment.metrics.js';
import type { RecordOutcome } from './erp-shipment.recorder.js';

export const ERP_INVOICE_EXCEPTION = 'fulfillment.erp-invoice-does-not-clear';

/**
 * One ERP invoice (new or changed), applied to the hub: stored with its lines, and the order's
 * invoiced quantities moved by the DIFFERENCE between what this invoice counts now and what its
 * previous version counted (a posted invoice counts; a draft or cancelled one does not), so an
 * invoice read twice, or cancelled later, is never counted twice or kept. Lines for no order
 * SKU (freight, charges) are kept, uncounted. An invoice for more than shipped is an exception.
 */
@Injectable()
export class ErpInvoiceRecorder {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrderFulfillment,
    private readonly invoices: InvoiceRepository,
    private readonly exceptions: ExceptionsService,
    private readonly metrics: FulfillmentMetrics,
  ) {}

  async record(sourceId: string, erp: ErpInvoice): Promise<RecordOutcome> {
    const hash = contentHash(erp);
    const previous = await this.invoices.findBySource(sourceId);
    if (previous && previous.contentHash === hash) return 'unchanged';
    const order =
      (erp.externalReference
        ? await this.orders.find({ externalReference: erp.externalReference }, { lock: true })
        : null) ??
      (erp.erpOrderNumber
        ? await this.orders.find({ erpOrderNumber: erp.erpOrderNumber }, { lock: true })
        : null);
    if (!order) return 'not-ours';
    const segment = order.segments.find(
      (s) =>
        (erp.externalReference !== null && s.externalReference === erp.externalReference) ||
        (erp.erpOrderNumber !== null && s.erpOrderNumber === erp.erpOrderNumber),
    );
    if (!segment) return 'not-ours';

    // What the previous version counted is given back before the new one is matched.
    const before = new Map<number, Decimal>();
    if (previous && countsAsInvoiced(previous.status)) {
      for (const l of previous.lines) {
        if (l.orderLineNo === null) continue;
        before.set(l.orderLineNo, (before.get(l.orderLineNo) ?? new Decimal(0)).plus(l.quantity));
      }
    }
    const skus = new Set(
      order.lines.filter((l) => l.segmentNo === segment.segmentNo).map((l) => l.sku),
    );
    const itemLines = erp.lines.filter(
      (l) => skus.has(l.sku) && new Decimal(l.quantity).greaterThan(0),
    );
    const matched = matchLines(
      order,
      itemLines.map((l) => ({
        documentLineNo: l.orderLineNo,
        sku: l.sku,
        quantity: l.quantity,
        uom: l.uom,
      })),
      {
        segment,
        open: (line) =>
          new Decimal(line.shipped).minus(line.invoiced).plus(before.get(line.lineNo) ?? 0),
        overCode: 'OVER_INVOICE',
      },
    );
    if (!matched.ok && itemLines.length > 0) {
      await this.refuse(erp, order, matched.violations);
      return 'exception';
    }
    const matchedLines = matched.ok ? matched.lines : [];
    const lines: InvoiceLine[] = erp.lines.map((l) => {
      const at = itemLines.indexOf(l);
      return {
        lineNo: l.lineNo,
        orderLineNo: at >= 0 ? (matchedLines[at]?.orderLineNo ?? null) : null,
        sku: l.sku,
        quantity: at >= 0 ? (matchedLines[at]?.quantity ?? l.quantity) : l.quantity,
        uom: at >= 0 ? (matchedLines[at]?.uom ?? l.uom) : l.uom,
        unitPrice: l.unitPrice,
        amount: l.amount,
        taxAmount: l.taxAmount,
      };
    });
    const after = new Map<number, Decimal>();
    if (countsAsInvoiced(erp.status)) {
      for (const l of lines) {
        if (l.orderLineNo === null) continue;
        after.set(l.orderLineNo, (after.get(l.orderLineNo) ?? new Decimal(0)).plus(l.quantity));
      }
    }
    const changes = [...new Set([...before.keys(), ...after.keys()])]
      .map((lineNo) => ({
        lineNo,
        delta: (after.get(lineNo) ?? new Decimal(0)).minus(before.get(lineNo) ?? 0),
      }))
      .filter((c) => !c.delta.isZero());
    const correlationId = CorrelationContext.current() ?? null;
    try {
      await this.uow.runInSavepoint(async () => {
        await this.invoices.save(
          {
            sourceId,
            invoiceNumber: erp.invoiceNo,
            orderId: order.id,
            orderChannelId: order.channelId,
            erpOrderNumber: erp.erpOrderNumber ?? segment.erpOrderNumber,
            status: erp.status,
            invoiceDate: erp.invoiceDate,
            dueDate: erp.dueDate,
            currency: erp.currency,
            amountExcludingTax: erp.amountExcludingTax,
            taxAmount: erp.taxAmount,
            amountIncludingTax: erp.amountIncludingTax,
            remainingAmount: erp.remainingAmount,
            contentHash: hash,
            lines,
          },
          previous?.id ?? null,
        );
        if (changes.length > 0) {
          await this.orders.applyQuantities(
            order,
            changes.map((c) => ({
              lineNo: c.lineNo,
              change: { kind: 'invoiced', quantity: c.delta.toString() },
            })),
            { source: 'erp', actor: null },
            {
              invoice: erp.invoiceNo,
              status: erp.status,
              lines: changes.map((c) => ({ lineNo: c.lineNo, invoiced: c.delta.toString() })),
            },
            correlationId,
          );
        }
      });
    } catch (error) {
      if (!(error instanceof QuantitiesDoNotClearError)) throw error;
      await this.refuse(erp, order, [
        { code: 'OVER_INVOICE', field: 'lines', message: error.message },
      ]);
      return 'exception';
    }
    this.metrics.invoiceRecorded(
      erp.status,
      await this.invoices.countForOrder(order.id),
      previous === null,
    );
    return previous ? 'updated' : 'created';
  }

  private async refuse(
    erp: ErpInvoice,
    order: FulfillmentOrder,
    violations: FulfillmentViolation[],
  ): Promise<void> {
    for (const v of violations) this.metrics.quantitiesDidNotClear('erp', v.code);
    await this.exceptions.record(
      {
        type: ERP_INVOICE_EXCEPTION,
        source: 'fulfillment.sync',
        reference: order.id,
        channelId: order.channelId,
        payload: { invoice: erp, violations },
        error: {
          name: 'InvoiceDoesNotClear',
          code: 'ORDER.QUANTITIES_DO_NOT_CLEAR',
          message: `ERP invoice ${erp.invoiceNo} does not clear against order ${order.orderNumber}: ${violations.map((v) => v.message).join('; ')}`,
        },
        dedupeKey: `erp-invoice:${erp.invoiceNo}`,
      },
      { manager: this.uow.manager },
    );
  }
}
