import { Injectable } from '@nestjs/common';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import { contentHash } from '../../../../../platform/delta-sync/index.js';
import { ExceptionsService } from '../../../../../platform/exceptions/index.js';
import {
  type FulfillmentOrder,
  OrderFulfillment,
  QuantitiesDoNotClearError,
} from '../../../../orders/index.js';
import type { ErpShipment } from '../../../domain/erp-fulfillment.js';
import type { FulfillmentViolation } from '../../../domain/fulfillment-violation.js';
import { matchLines, openToShip } from '../../../domain/line-matching.js';
import { ShipmentRepository } from '../../../infrastructure/shipment.repository.js';
import { FulfillmentMetrics } from '../../fulfillment.metrics.js';
import { ShippedStock } from '../../shipped-stock.js';

export const ERP_SHIPMENT_EXCEPTION = 'fulfillment.erp-shipment-does-not-clear';

export type RecordOutcome =
  'created' | 'linked' | 'updated' | 'unchanged' | 'not-ours' | 'exception';

/**
 * One posted ERP shipment, applied to the hub: a shipment the hub posted itself (WMS/supplier) is
 * linked to the ERP's number; one the ERP made on its own becomes an `erp` shipment whose lines
 * move the order's quantities; one for an order the hub does not know (entered in the ERP) is not
 * the hub's business. A shipment that does not clear against its order (unknown line, more than
 * is open) is never applied halfway: it becomes an exception for operations, with the shipment.
 */
@Injectable()
export class ErpShipmentRecorder {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrderFulfillment,
    private readonly shipments: ShipmentRepository,
    private readonly exceptions: ExceptionsService,
    private readonly stock: ShippedStock,
    private readonly metrics: FulfillmentMetrics,
  ) {}

  /** Runs inside the caller's unit of work (the sync page's transaction). */
  async record(erp: ErpShipment): Promise<RecordOutcome> {
    if (erp.hubShipmentId) {
      const hub = await this.shipments.findByNumber(erp.hubShipmentId);
      if (hub) {
        return (await this.shipments.linkErpShipment(erp.hubShipmentId, erp.shipmentNo))
          ? 'linked'
          : 'unchanged';
      }
    }
    const existing = await this.shipments.findBySource('erp', null, erp.shipmentNo);
    if (existing) {
      const changed = await this.shipments.updateTracking(existing.id, {
        carrier: erp.carrier,
        service: erp.service,
        trackingNumbers: erp.trackingNumbers,
        trackingUrl: erp.trackingUrl,
      });
      return changed ? 'updated' : 'unchanged';
    }
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
    const matched = matchLines(
      order,
      erp.lines.map((l) => ({
        documentLineNo: l.orderLineNo,
        sku: l.sku,
        quantity: l.quantity,
        uom: l.uom,
        lotNo: l.lotNo,
        serialNumbers: l.serialNos,
      })),
      { segment, open: openToShip, overCode: 'OVER_SHIPMENT' },
    );
    if (!matched.ok) {
      await this.refuse(erp, order, matched.violations);
      return 'exception';
    }
    const correlationId = CorrelationContext.current() ?? null;
    try {
      await this.uow.runInSavepoint(async () => {
        await this.shipments.insert({
          orderId: order.id,
          orderNumber: order.orderNumber,
          segmentId: segment.id,
          externalReference: segment.externalReference,
          erpOrderNumber: segment.erpOrderNumber,
          orderChannelId: order.channelId,
          source: 'erp',
          sourceChannelId: null,
          sourceDocumentId: erp.shipmentNo,
          contentHash: contentHash(erp),
          shipDate: erp.shipDate,
          carrier: erp.carrier,
          service: erp.service,
          trackingNumbers: erp.trackingNumbers,
          trackingUrl: erp.trackingUrl,
          warehouse: erp.warehouseCode ?? segment.warehouse,
          supplierId: erp.supplierId ?? segment.supplierId,
          erpPosting: 'NOT_NEEDED',
          erpShipmentNo: erp.shipmentNo,
          correlationId,
          lines: matched.lines,
        });
        await this.orders.applyQuantities(
          order,
          matched.lines.map((l) => ({
            lineNo: l.orderLineNo,
            change: { kind: 'shipped', quantity: l.quantity },
          })),
          { source: 'erp', actor: null },
          {
            erpShipment: erp.shipmentNo,
            lines: matched.lines.map((l) => ({ lineNo: l.orderLineNo, shipped: l.quantity })),
          },
          correlationId,
        );
        await this.stock.consume(order.id, segment, matched.lines);
      });
    } catch (error) {
      if (!(error instanceof QuantitiesDoNotClearError)) throw error;
      await this.refuse(erp, order, [
        { code: 'OVER_SHIPMENT', field: `lines`, message: error.message },
      ]);
      return 'exception';
    }
    this.metrics.shipmentRecorded('erp', erp.shipDate, order.requestedShipDate);
    return 'created';
  }

  private async refuse(
    erp: ErpShipment,
    order: FulfillmentOrder,
    violations: FulfillmentViolation[],
  ): Promise<void> {
    for (const v of violations) this.metrics.quantitiesDidNotClear('erp', v.code);
    await this.exceptions.record(
      {
        type: ERP_SHIPMENT_EXCEPTION,
        source: 'fulfillment.sync',
        reference: order.id,
        channelId: order.channelId,
        payload: { shipment: erp, violations },
        error: {
          name: 'ShipmentDoesNotClear',
          code: 'ORDER.QUANTITIES_DO_NOT_CLEAR',
          message: `ERP shipment ${erp.shipmentNo} does not clear against order ${order.orderNumber}: ${violations.map((v) => v.message).join('; ')}`,
        },
        dedupeKey: `erp-shipment:${erp.shipmentNo}`,
      },
      { manager: this.uow.manager },
    );
  }
}
