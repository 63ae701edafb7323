import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { AppConfig } from '../../../../../config/index.js';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import { ExceptionsService } from '../../../../../platform/exceptions/index.js';
import {
  type JobContext,
  JobsService,
  PermanentJobError,
} from '../../../../../platform/jobs/index.js';
import { OrderFulfillment } from '../../../../orders/index.js';
import type { ErpShipmentDocument, ErpShipmentPosting } from '../../../domain/erp-fulfillment.js';
import type { Shipment } from '../../../domain/shipment.js';
import { ShipmentRepository } from '../../../infrastructure/shipment.repository.js';
import { FulfillmentMetrics } from '../../fulfillment.metrics.js';
import {
  ShipmentGateway,
  ShipmentPostingUnsupportedError,
  ShipmentRejectedError,
} from '../../ports/shipment.gateway.js';

export const POST_SHIPMENT_JOB = 'fulfillment.post-shipment';
export const SHIPMENT_POSTING_FAILED_EXCEPTION = 'fulfillment.erp-shipment-posting-failed';

export interface PostShipmentPayload {
  shipmentId: string;
  /** true: the ERP queued it (PENDING): ask for its status, do not post. */
  check?: boolean;
}

/**
 * Posts a WMS/supplier shipment to the ERP, exactly once:
 * - an attempt claims the shipment with a LEASE (id + expiry, committed at once), so no database
 *   lock is held while the ERP is called; a second attempt (retry, replay, another instance)
 *   finds the lease and waits it out;
 * - `ShipmentGateway.post()` looks the hub's shipment number up in the ERP before it posts, so an
 *   attempt whose answer was lost (timeout, dropped connection, the hub killed) is repeated
 *   safely after its lease expired;
 * - the outcome is recorded under the lease id: an attempt that lost its lease records nothing.
 * Rejections and an ERP that cannot take shipments go to the exception queue (replayable).
 */
@Injectable()
export class ShipmentPostingJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly uow: UnitOfWork,
    private readonly shipments: ShipmentRepository,
    private readonly orders: OrderFulfillment,
    private readonly exceptions: ExceptionsService,
    private readonly metrics: FulfillmentMetrics,
    private readonly config: AppConfig,
    @Optional() private readonly gateway?: ShipmentGateway,
  ) {}

  onModuleInit(): void {
    this.jobs.register<PostShipmentPayload>({
      name: POST_SHIPMENT_JOB,
      handler: (payload, ctx) => this.run(payload, ctx),
      retryLimit: 8,
      retryDelaySeconds: 5,
      concurrency: this.config.fulfillment.postingConcurrency,
      exceptionType: SHIPMENT_POSTING_FAILED_EXCEPTION,
      reference: (payload) => payload.shipmentId,
      // A crashed attempt's job comes back once pg-boss gives up on it; its lease is long over.
      expireInSeconds: Math.max(10, this.config.fulfillment.postingLeaseSeconds * 2),
    });
  }

  async run(payload: PostShipmentPayload, ctx: JobContext): Promise<void> {
    ctx.setReference(payload.shipmentId);
    const gateway = this.gateway;
    if (!gateway) throw new Error('No ERP adapter is bound: the shipment waits for one');
    const claim = await this.uow.run(() =>
      this.shipments.claim(payload.shipmentId, this.config.fulfillment.postingLeaseSeconds),
    );
    if (!claim) {
      const shipment = await this.uow.run(() => this.shipments.find(payload.shipmentId));
      if (!shipment) throw new PermanentJobError(`Shipment ${payload.shipmentId} does not exist`);
      if (shipment.erpPosting === 'POSTED' || shipment.erpPosting === 'NOT_NEEDED') return;
      // Another attempt holds the lease: come back after it (a retry), never post next to it.
      throw new Error(`Shipment ${shipment.shipmentNumber} is being posted by another attempt`);
    }
    const { shipment, leaseId } = claim;
    ctx.logger.info(
      { shipment: shipment.shipmentNumber, attempt: claim.attempts, check: payload.check === true },
      'posting the shipment to the ERP',
    );
    let result: ErpShipmentPosting;
    try {
      result = payload.check
        ? await gateway.status(shipment.shipmentNumber)
        : await gateway.post(await this.documentOf(shipment));
      if (payload.check && result.state === 'NOT_FOUND') {
        result = await gateway.post(await this.documentOf(shipment));
      }
    } catch (error) {
      if (
        error instanceof ShipmentRejectedError ||
        error instanceof ShipmentPostingUnsupportedError
      ) {
        const reasons = error instanceof ShipmentRejectedError ? error.reasons : [error.reason];
        this.metrics.erpPosting(
          gateway.name,
          error instanceof ShipmentRejectedError ? 'rejected' : 'unsupported',
        );
        await this.uow.run(() =>
          this.shipments.recordPosting(shipment.id, leaseId, { state: 'FAILED', errors: reasons }),
        );
        throw new PermanentJobError(error.message, { code: error.code, cause: error });
      }
      this.metrics.erpPosting(gateway.name, 'error');
      await this.uow.run(() => this.shipments.releaseLease(shipment.id, leaseId));
      throw error;
    }
    await this.record(shipment, leaseId, result, gateway.name);
  }

  private async record(
    shipment: Shipment,
    leaseId: string,
    result: ErpShipmentPosting,
    adapter: string,
  ): Promise<void> {
    switch (result.state) {
      case 'POSTED': {
        this.metrics.erpPosting(adapter, result.created ? 'created' : 'found');
        const recorded = await this.uow.run(() =>
          this.shipments.recordPosting(shipment.id, leaseId, {
            state: 'POSTED',
            erpShipmentNo: result.erpShipmentNo,
          }),
        );
        if (recorded) this.metrics.postedToErp(adapter, shipment.source, shipment.receivedAt);
        return;
      }
      case 'PENDING': {
        this.metrics.erpPosting(adapter, 'pending');
        await this.uow.run(async () => {
          if (await this.shipments.recordPosting(shipment.id, leaseId, { state: 'PENDING' })) {
            await this.jobs.enqueue<PostShipmentPayload>(
              POST_SHIPMENT_JOB,
              { shipmentId: shipment.id, check: true },
              { manager: this.uow.manager, startAfter: this.config.fulfillment.erpPollSeconds },
            );
          }
        });
        return;
      }
      case 'REJECTED': {
        this.metrics.erpPosting(adapter, 'rejected');
        await this.uow.run(() =>
          this.shipments.recordPosting(shipment.id, leaseId, {
            state: 'FAILED',
            errors: result.errors,
          }),
        );
        throw new PermanentJobError(
          `The ERP rejected shipment ${shipment.shipmentNumber}: ${result.errors.join('; ')}`,
          { code: 'ERP_SHIPMENT_REJECTED' },
        );
      }
      case 'NOT_FOUND':
        await this.uow.run(() => this.shipments.releaseLease(shipment.id, leaseId));
        throw new Error(
          `The ERP answered NOT_FOUND right after posting ${shipment.shipmentNumber}`,
        );
    }
  }

  /** The ERP document: the segment's ERP order and its document line numbers. */
  private async documentOf(shipment: Shipment): Promise<ErpShipmentDocument> {
    const order = await this.orders.find({ orderId: shipment.orderId }, { lock: false });
    if (!order) throw new PermanentJobError(`Order ${shipment.orderId} does not exist`);
    const segment = order.segments.find((s) => s.externalReference === shipment.externalReference);
    if (!segment?.erpOrderNumber) {
      throw new Error(`Order ${shipment.externalReference} has no ERP order number yet`);
    }
    return {
      shipmentReference: shipment.shipmentNumber,
      externalReference: segment.externalReference,
      erpOrderNumber: segment.erpOrderNumber,
      shipDate: shipment.shipDate,
      carrier: shipment.carrier,
      service: shipment.service,
      trackingNumbers: shipment.trackingNumbers,
      trackingUrl: shipment.trackingUrl,
      lines: shipment.lines.map((l) => {
        const line = order.lines.find((o) => o.lineNo === l.orderLineNo);
        if (!line) throw new PermanentJobError(`Order line ${l.orderLineNo} does not exist`);
        return {
          orderLineNo: line.documentLineNo,
          sku: l.sku,
          uom: l.uom,
          quantity: l.quantity,
          lotNo: l.lotNo,
          serialNos: l.serialNumbers,
        };
      }),
    };
  }
}
