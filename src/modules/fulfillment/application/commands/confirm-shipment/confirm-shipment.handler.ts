import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import { contentHash } from '../../../../../platform/delta-sync/index.js';
import { JobsService } from '../../../../../platform/jobs/index.js';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import {
  type FulfillmentOrder,
  type FulfillmentOrderKey,
  OrderFulfillment,
} from '../../../../orders/index.js';
import type { ShipmentSource } from '../../../domain/erp-fulfillment.js';
import type { FulfillmentViolation } from '../../../domain/fulfillment-violation.js';
import { matchLines, openToShip } from '../../../domain/line-matching.js';
import type { OrderToShip } from '../../../domain/order-to-ship.js';
import { ShipmentRepository } from '../../../infrastructure/shipment.repository.js';
import { FulfillmentErrors } from '../../fulfillment.errors.js';
import { FulfillmentMetrics } from '../../fulfillment.metrics.js';
import { ShippedStock } from '../../shipped-stock.js';
import { POST_SHIPMENT_JOB, type PostShipmentPayload } from '../post-shipment/post-shipment.job.js';
import { ConfirmShipmentCommand, type ConfirmShipmentResult } from './confirm-shipment.command.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORDER_NUMBER = /^XD\d+$/;
const EXTERNAL_REFERENCE = /^XD\d+-\d+$/;

/** How a channel names an order: hub id, hub number, segment reference or ERP order number. */
export function orderKeyOf(reference: string): FulfillmentOrderKey {
  if (UUID.test(reference)) return { orderId: reference.toLowerCase() };
  if (ORDER_NUMBER.test(reference)) return { orderNumber: reference };
  if (EXTERNAL_REFERENCE.test(reference)) return { externalReference: reference };
  return { erpOrderNumber: reference };
}

/** The segments a confirming channel ships: a WMS the warehouses, a supplier its drop-ships. */
const SHIPS: Record<ShipmentSource, 'STOCK' | 'DROP_SHIP' | null> = {
  wms: 'STOCK',
  supplier: 'DROP_SHIP',
  erp: null,
};

/**
 * A WMS/3PL or drop-ship supplier confirms a shipment. In ONE unit of work: the order is locked,
 * the confirmation is checked against it (every violation reported, nothing stored on any), the
 * shipment is stored, the order's line quantities move (the aggregate moves its status), and the
 * ERP posting job is queued. The source document id makes it idempotent: the same confirmation
 * again answers what it created; the same id with other content is refused.
 */
@CommandHandler(ConfirmShipmentCommand)
export class ConfirmShipmentHandler implements ICommandHandler<ConfirmShipmentCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrderFulfillment,
    private readonly shipments: ShipmentRepository,
    private readonly jobs: JobsService,
    private readonly stock: ShippedStock,
    private readonly metrics: FulfillmentMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ConfirmShipmentHandler.name);
  }

  async execute({ confirmation, channel }: ConfirmShipmentCommand): Promise<ConfirmShipmentResult> {
    const source: ShipmentSource = channel.kind === 'supplier' ? 'supplier' : 'wms';
    const hash = contentHash(confirmation);
    const correlationId = CorrelationContext.current() ?? null;
    return this.uow.run(async () => {
      const key = orderKeyOf(confirmation.order);
      const order = await this.orders.find(key, { lock: true });
      // Idempotency by source document id costs nothing on the way that stores: the shipment
      // insert is the look-up (ON CONFLICT, below). Two identical confirmations queue on the
      // order's lock; the second's insert meets the first's row. Only a confirmation that would
      // be refused looks for an earlier one first (its quantities are no longer open because the
      // earlier one took them): the same content is answered as it was.
      const replay = async (): Promise<ConfirmShipmentResult | null> => {
        const existing = await this.shipments.findBySource(
          source,
          channel.channelId,
          confirmation.sourceDocumentId,
        );
        if (!existing) return null;
        if (existing.contentHash !== hash) {
          this.metrics.confirmationRefused(source, 'SOURCE_DOCUMENT_REUSED');
          throw FulfillmentErrors.documentReused(confirmation.sourceDocumentId, existing.id);
        }
        this.metrics.confirmationReplayed(source);
        return { shipment: existing, created: false };
      };
      const shippable = order && this.shippableBy(order, source, key);
      if (!order || !shippable) {
        this.metrics.confirmationRefused(source, 'ORDER_NOT_FOUND');
        throw FulfillmentErrors.orderNotFound(confirmation.order);
      }
      const violations: FulfillmentViolation[] = [];
      if (order.status === 'CANCELLED') {
        violations.push({
          code: 'ORDER_CANCELLED',
          field: 'order',
          message: `order ${order.orderNumber} is cancelled`,
        });
      }
      const matched = matchLines(shippable, confirmation.lines, {
        open: openToShip,
        overCode: 'OVER_SHIPMENT',
      });
      if (!matched.ok) violations.push(...matched.violations);
      if (violations.length > 0 || !matched.ok) {
        const earlier = await replay();
        if (earlier) return earlier;
        this.metrics.confirmationRefused(source, violations[0]?.code ?? 'SHIPMENT_REJECTED');
        throw FulfillmentErrors.rejected(violations);
      }
      const segment = matched.segment;
      if (segment.status !== 'POSTED' || !segment.erpOrderNumber) {
        const earlier = await replay();
        if (earlier) return earlier;
        throw FulfillmentErrors.notInErp(segment.externalReference);
      }
      const shipment = await this.shipments.insertUnlessSent({
        orderId: order.id,
        orderNumber: order.orderNumber,
        segmentId: segment.id,
        externalReference: segment.externalReference,
        erpOrderNumber: segment.erpOrderNumber,
        orderChannelId: order.channelId,
        source,
        sourceChannelId: channel.channelId,
        sourceDocumentId: confirmation.sourceDocumentId,
        contentHash: hash,
        shipDate: confirmation.shipDate,
        carrier: confirmation.carrier ?? null,
        service: confirmation.service ?? null,
        trackingNumbers: confirmation.trackingNumbers ?? [],
        trackingUrl: confirmation.trackingUrl ?? null,
        warehouse: segment.warehouse,
        supplierId: segment.supplierId,
        erpPosting: 'QUEUED',
        erpShipmentNo: null,
        correlationId,
        lines: matched.lines,
      });
      if (!shipment) {
        const earlier = await replay();
        if (earlier) return earlier;
        throw new Error(`Shipment ${confirmation.sourceDocumentId} conflicted and vanished`);
      }
      const result = await this.orders.applyQuantities(
        order,
        matched.lines.map((l) => ({
          lineNo: l.orderLineNo,
          change: { kind: 'shipped', quantity: l.quantity },
        })),
        { source, actor: channel.channelName },
        {
          shipment: shipment.shipmentNumber,
          sourceDocumentId: confirmation.sourceDocumentId,
          lines: matched.lines.map((l) => ({ lineNo: l.orderLineNo, shipped: l.quantity })),
        },
        correlationId,
      );
      await this.stock.consume(order.id, segment, matched.lines);
      await this.jobs.enqueue<PostShipmentPayload>(
        POST_SHIPMENT_JOB,
        { shipmentId: shipment.id },
        { manager: this.uow.manager },
      );
      this.metrics.shipmentRecorded(source, shipment.shipDate, order.requestedShipDate);
      this.logger.info(
        {
          orderId: order.id,
          shipment: shipment.shipmentNumber,
          source,
          status: result.status,
        },
        'shipment confirmed',
      );
      return { shipment, created: true };
    });
  }

  /**
   * The order as this source may ship it: the segments of its kind, or only the one named when
   * the confirmation names an ERP order (null: none it ships — answered as an unknown order).
   */
  private shippableBy(
    order: FulfillmentOrder,
    source: ShipmentSource,
    key: FulfillmentOrderKey,
  ): OrderToShip | null {
    const kind = SHIPS[source];
    const segments = order.segments.filter(
      (s) =>
        (kind === null || s.kind === kind) &&
        (!('externalReference' in key) || s.externalReference === key.externalReference) &&
        (!('erpOrderNumber' in key) || s.erpOrderNumber === key.erpOrderNumber),
    );
    if (segments.length === 0) return null;
    const numbers = new Set(segments.map((s) => s.segmentNo));
    return {
      ...order,
      segments,
      lines: order.lines.filter((l) => numbers.has(l.segmentNo)),
    };
  }
}
