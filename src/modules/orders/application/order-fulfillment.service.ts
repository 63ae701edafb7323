import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../platform/database/index.js';
import type { ChangeSource, OrderStatus } from '../domain/order.js';
import {
  applyQuantityChange,
  type LineQuantities,
  QuantitiesDoNotClearError,
  type QuantityChange,
} from '../domain/order-line-quantities.js';
import {
  type FulfillmentOrder,
  type FulfillmentOrderKey,
  OrderFulfillmentRepository,
} from '../infrastructure/order-fulfillment.repository.js';

export interface LineQuantityChange {
  lineNo: number;
  change: QuantityChange;
}

export interface QuantityChangeResult {
  /** The order's status after the change. */
  status: OrderStatus;
  /** The statuses the change moved the order through (empty: no status change). */
  moved: OrderStatus[];
  lines: LineQuantities[];
}

/**
 * The orders module's public API for the back-flow (shipments, invoices, ERP-side changes): find
 * an order by any of its ERP keys and change its line quantities, letting the Order aggregate
 * move its status. Runs inside the caller's unit of work (UnitOfWork.run), so a shipment and the
 * order quantities it changes commit together.
 */
@Injectable()
export class OrderFulfillment {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: OrderFulfillmentRepository,
  ) {}

  /** The order, locked for the rest of the unit of work when `lock`. */
  find(key: FulfillmentOrderKey, options: { lock: boolean }): Promise<FulfillmentOrder | null> {
    return this.uow.run(() => this.repository.find(key, options.lock));
  }

  /**
   * Applies every change or none: a change that breaks the clearing rules throws
   * QuantitiesDoNotClearError (the caller records the exception), nothing is written.
   */
  applyQuantities(
    /** The order id, or the order the caller already found with `lock` in this unit of work. */
    target: string | FulfillmentOrder,
    changes: readonly LineQuantityChange[],
    by: { source: ChangeSource; actor: string | null },
    detail: Record<string, unknown>,
    correlationId: string | null,
  ): Promise<QuantityChangeResult> {
    return this.uow.run(async () => {
      const order =
        typeof target === 'string' ? await this.repository.find({ orderId: target }, true) : target;
      if (!order) throw new Error(`Order ${String(target)} does not exist`);
      const lines = new Map<number, LineQuantities>(
        order.lines.map((l) => [
          l.lineNo,
          {
            lineNo: l.lineNo,
            ordered: l.ordered,
            shipped: l.shipped,
            cancelled: l.cancelled,
            invoiced: l.invoiced,
          },
        ]),
      );
      for (const { lineNo, change } of changes) {
        const line = lines.get(lineNo);
        if (!line) {
          throw new QuantitiesDoNotClearError(lineNo, 'NEGATIVE_QUANTITY', 'no such order line');
        }
        lines.set(lineNo, applyQuantityChange(line, change));
      }
      const after = [...lines.values()];
      const touched = after.filter((l) => changes.some((c) => c.lineNo === l.lineNo));
      const aggregate = this.repository.aggregateOf(order);
      aggregate.quantitiesChanged(after);
      const moved = await this.repository.saveChange(
        aggregate,
        order.status,
        touched,
        by,
        detail,
        correlationId,
      );
      return { status: aggregate.status, moved, lines: after };
    });
  }
}

export type {
  FulfillmentLine,
  FulfillmentOrder,
  FulfillmentOrderKey,
  FulfillmentSegment,
} from '../infrastructure/order-fulfillment.repository.js';
export { QuantitiesDoNotClearError, type QuantityChange } from '../domain/order-line-quantities.js';
