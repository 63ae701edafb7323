import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import { type ErpAllocationPart, InventoryService } from '../../../../inventory/index.js';
import { QuantitiesDoNotClearError } from '../../../domain/order-line-quantities.js';
import { ErpOrderChangesStore } from '../../../infrastructure/erp-order-changes.store.js';
import {
  type FulfillmentLine,
  type FulfillmentOrder,
  OrderFulfillment,
} from '../../order-fulfillment.service.js';
import { OrdersMetrics } from '../../orders.metrics.js';
import type { ErpOrderSnapshot } from '../../ports/sales-order-change.feed.js';
import { compareErpOrder, type ErpChangeProblem } from './erp-order-comparison.js';

/** Exception type of an ERP-side order change the hub did not apply (or not whole). */
export const ERP_ORDER_CHANGE_EXCEPTION = 'orders.erp-order-change';
/** Where those exceptions come from: the job that reads the changes. */
export const ORDER_CHANGES_SYNC_JOB = 'orders.erp-changes';

/**
 * unknown: no hub order has the reference. stale: older than what the hub already applied.
 * unchanged: the hub already matches. applied: line quantities changed. refused: the change
 * would break the clearing rules, an exception was recorded and nothing applied.
 */
export type ErpChangeOutcome = 'unknown' | 'stale' | 'unchanged' | 'applied' | 'refused';

/**
 * Applies one ERP snapshot of a hub order's segment to that order, in the caller's unit of work
 * (or its own): the line quantities through OrderFulfillment (history source `erp`, actor the
 * ERP user), the stock the ERP no longer needs back to availability, the segment's ERP state.
 * Applying the same snapshot again changes nothing.
 */
@Injectable()
export class ErpOrderChangeApplier {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly fulfillment: OrderFulfillment,
    private readonly store: ErpOrderChangesStore,
    private readonly inventory: InventoryService,
    private readonly metrics: OrdersMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ErpOrderChangeApplier.name);
  }

  apply(snapshot: ErpOrderSnapshot): Promise<ErpChangeOutcome> {
    return this.uow.run(async () => {
      const ref = snapshot.externalReference;
      const order = await this.fulfillment.find({ externalReference: ref }, { lock: true });
      // An ERP order with a reference the hub never issued (another system's, or test data).
      if (!order) return 'unknown';
      const segment = order.segments.find((s) => s.externalReference === ref);
      if (!segment) return 'unknown';
      const modifiedAt = new Date(snapshot.modifiedAt);
      const known = await this.store.erpModifiedAt(segment.id);
      // Feeds re-read an overlap window and the sweep may race the delta: never go back.
      if (known && modifiedAt.getTime() < known.getTime()) return 'stale';
      const lines = order.lines.filter((l) => l.segmentNo === segment.segmentNo);
      const comparison = compareErpOrder(segment.status, lines, snapshot);
      for (const problem of comparison.problems) {
        await this.recordProblem(order, snapshot, problem);
      }
      let outcome: ErpChangeOutcome = 'unchanged';
      if (comparison.changes.length > 0) {
        let after;
        try {
          after = await this.uow.runInSavepoint(() =>
            this.fulfillment.applyQuantities(
              order.id,
              comparison.changes,
              { source: 'erp', actor: snapshot.changedBy },
              {
                segment: ref,
                erp: {
                  state: snapshot.state,
                  erpOrderNumber: snapshot.erpOrderNumber,
                  modifiedAt: snapshot.modifiedAt,
                },
                lines: comparison.lines,
              },
              CorrelationContext.current() ?? null,
            ),
          );
        } catch (error) {
          if (!(error instanceof QuantitiesDoNotClearError)) throw error;
          await this.recordRefusal(order, snapshot, error);
          return 'refused';
        }
        await this.releaseStock(order, lines, after.lines, modifiedAt, snapshot);
        for (const line of comparison.lines) this.metrics.erpChangeApplied(line.kind);
        this.logger.info(
          { orderId: order.id, segment: ref, erpState: snapshot.state, lines: comparison.lines },
          'ERP-side order change applied',
        );
        outcome = 'applied';
      }
      await this.store.recordErpState(segment.id, snapshot.state, modifiedAt);
      return outcome;
    });
  }

  /**
   * Stock of the stocked lines whose cancelled quantity grew goes back to availability (base
   * UoM, in the line's own ratio). A raise back towards the channel's quantity gives nothing
   * back and takes nothing: the ERP allocates it again itself and its figures carry it.
   */
  private async releaseStock(
    order: FulfillmentOrder,
    before: readonly FulfillmentLine[],
    after: readonly { lineNo: number; cancelled: string }[],
    modifiedAt: Date,
    snapshot: ErpOrderSnapshot,
  ): Promise<void> {
    const cancelledAfter = new Map(after.map((l) => [l.lineNo, l.cancelled]));
    const parts: ErpAllocationPart[] = [];
    for (const line of before) {
      if (line.warehouse === null || line.supplierId !== null) continue;
      const grown = new Decimal(cancelledAfter.get(line.lineNo) ?? line.cancelled).minus(
        line.cancelled,
      );
      if (!grown.greaterThan(0)) continue;
      const base = grown.times(line.baseQuantity).dividedBy(line.ordered);
      parts.push({ sku: line.sku, warehouse: line.warehouse, baseQuantity: base.toFixed() });
    }
    if (parts.length === 0) return;
    await this.inventory.releaseErpAllocationPart(
      order.id,
      parts,
      `changed in the ERP (${snapshot.state}) by ${snapshot.changedBy ?? 'an ERP user'}`,
      { erpReleasedAt: modifiedAt },
    );
  }

  private async recordRefusal(
    order: FulfillmentOrder,
    snapshot: ErpOrderSnapshot,
    error: QuantitiesDoNotClearError,
  ): Promise<void> {
    this.metrics.quantityException('erp', error.refusal);
    this.logger.warn(
      { orderId: order.id, segment: snapshot.externalReference, refusal: error.refusal },
      'ERP-side order change refused: the line quantities would not clear',
    );
    await this.store.recordException({
      type: ERP_ORDER_CHANGE_EXCEPTION,
      source: ORDER_CHANGES_SYNC_JOB,
      reference: snapshot.externalReference,
      channelId: order.channelId,
      payload: { orderId: order.id, snapshot },
      error: { name: error.name, message: error.message, code: error.code },
      dedupeKey: `${ERP_ORDER_CHANGE_EXCEPTION}:${snapshot.externalReference}:${error.code}`,
    });
  }

  private async recordProblem(
    order: FulfillmentOrder,
    snapshot: ErpOrderSnapshot,
    problem: ErpChangeProblem,
  ): Promise<void> {
    const code = `ORDER.${problem.code}`;
    const message =
      problem.code === 'ERP_LINE_ADDED'
        ? `An ERP user added ${problem.quantity} ${problem.uom} of ${problem.sku} to the order: the hub does not add lines by itself`
        : problem.detail;
    await this.store.recordException({
      type: ERP_ORDER_CHANGE_EXCEPTION,
      source: ORDER_CHANGES_SYNC_JOB,
      reference: snapshot.externalReference,
      channelId: order.channelId,
      payload: { orderId: order.id, problem, snapshot },
      error: { name: 'ErpOrderChangeNotApplied', message, code },
      dedupeKey: `${ERP_ORDER_CHANGE_EXCEPTION}:${snapshot.externalReference}:${code}:${
        problem.code === 'ERP_LINE_ADDED' ? problem.sku : String(problem.lineNo)
      }`,
    });
  }
}
