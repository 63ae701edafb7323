import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { ApplicationError } from '../../../../../platform/errors/index.js';
import { IdempotencyStore } from '../../../../../platform/idempotency/index.js';
import type { OrderSnapshot } from '../../../domain/order.js';
import { Order, storedStatusOf } from '../../../domain/order.aggregate.js';
import { OrderPolicies } from '../../../infrastructure/order-policies.loader.js';
import { type NewOrder, OrderStore } from '../../../infrastructure/order.store.js';
import { OrderErrors } from '../../orders.errors.js';
import { OrdersMetrics } from '../../orders.metrics.js';
import { OrderPlacement } from '../../order-placement.js';
import { OrderPlanner, type PlanningChannel } from '../../order-planner.js';
import { CaptureOrderCommand } from './capture-order.command.js';

const UNIQUE_VIOLATION = '23505';
/** Stock taken by someone else between planning and reserving: plan again, this often. */
const MAX_PLANS = 3;

@CommandHandler(CaptureOrderCommand)
export class CaptureOrderHandler implements ICommandHandler<CaptureOrderCommand> {
  constructor(
    private readonly planner: OrderPlanner,
    private readonly placement: OrderPlacement,
    private readonly store: OrderStore,
    private readonly policies: OrderPolicies,
    private readonly metrics: OrdersMetrics,
    private readonly idempotencyStore: IdempotencyStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CaptureOrderHandler.name);
  }

  async execute({ request, channel, idempotency }: CaptureOrderCommand): Promise<OrderSnapshot> {
    const existing = await this.store.findByBusinessKey(channel.channelId, request.channelOrderRef);
    if (existing) {
      this.metrics.duplicatePrevented('business_key');
      throw OrderErrors.duplicate(existing);
    }
    const planning: PlanningChannel = {
      channelId: channel.channelId,
      name: channel.channelName,
      kind: channel.kind,
      customerScope: channel.customerScope,
    };
    const policy = this.policies.for(planning);
    for (let attempt = 1; ; attempt++) {
      const plan = await this.planner.plan(request, planning, policy);
      try {
        // Answered from what this transaction stored: no read-back after the commit.
        const order = await this.store.transaction(async (manager) => {
          const decision = await this.placement.decide(manager, plan, policy);
          if (decision.outcome === 'reject' || plan.lines.length === 0) {
            this.metrics.orderReceived(
              channel.channelName,
              'rejected',
              decision.rejections.map((v) => v.code),
            );
            throw OrderErrors.rejected([
              ...decision.rejections,
              ...decision.holds,
              ...decision.adjustments,
            ]);
          }
          const id = randomUUID();
          const orderNumber = await this.store.nextOrderNumber(manager);
          const header = {
            customerId: plan.customer?.erpId ?? request.customerId,
            shipTo: plan.shipTo,
            poNumber: request.poNumber ?? null,
            requestedShipDate: request.requestedShipDate ?? null,
            currency: plan.currency,
            notes: request.notes ?? null,
            orderDate: plan.pricingDate,
          };
          const placed = await this.placement.place(manager, {
            orderId: id,
            orderNumber,
            header,
            plan,
            decision,
            channel: planning,
          });
          const lifecycle = Order.capture(id);
          if (placed.accepted) lifecycle.accept();
          else lifecycle.hold();
          const status = storedStatusOf(lifecycle.status);
          const correlationId = CorrelationContext.current() ?? null;
          const stored: NewOrder = {
            order: {
              id,
              orderNumber,
              channelId: channel.channelId,
              channelName: channel.channelName,
              channelKind: channel.kind,
              channelOrderRef: request.channelOrderRef,
              status,
              customerId: header.customerId,
              creditAccount: plan.credit?.account ?? header.customerId,
              shipTo: plan.shipTo,
              poNumber: header.poNumber,
              requestedShipDate: header.requestedShipDate,
              currency: plan.currency,
              notes: header.notes,
              priceVersion: plan.priceVersion,
              pricingDate: plan.pricingDate,
              total: plan.total,
              holds: placed.holds,
              adjustments: placed.adjustments,
              correlationId,
            },
            request,
            lines: placed.lines,
            segments: placed.segments,
          };
          const createdAt = await this.store.insert(
            manager,
            stored,
            lifecycle,
            placed.holds.length > 0 ? { holds: placed.holds.map((h) => h.code) } : null,
          );
          this.metrics.orderReceived(
            channel.channelName,
            placed.accepted ? 'accepted' : 'held',
            placed.accepted
              ? placed.adjustments.map((a) => a.code)
              : placed.holds.map((h) => h.code),
          );
          this.logger.info(
            {
              orderId: id,
              orderNumber,
              channelOrderRef: request.channelOrderRef,
              status,
              segments: placed.segments.length,
              holds: placed.holds.map((h) => h.code),
            },
            'order captured',
          );
          const captured = asOrder(stored, createdAt);
          if (idempotency) {
            await this.idempotencyStore.completeWithin(
              manager,
              idempotency.outcome,
              idempotency.respond(captured),
            );
          }
          return captured;
        });
        return order;
      } catch (error) {
        if (error instanceof ApplicationError && error.code === 'INSUFFICIENT_STOCK') {
          if (attempt < MAX_PLANS) continue;
          throw OrderErrors.stockMoved();
        }
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
          // The same channelOrderRef committed by a concurrent request a moment ago.
          const winner = await this.store.findByBusinessKey(
            channel.channelId,
            request.channelOrderRef,
          );
          if (winner) {
            this.metrics.duplicatePrevented('business_key');
            throw OrderErrors.duplicate(winner);
          }
        }
        throw error;
      }
    }
  }
}

/** The order as stored by capture (nothing posted, cancelled or changed yet). */
function asOrder(stored: NewOrder, createdAt: Date): OrderSnapshot {
  return {
    ...stored.order,
    lines: stored.lines,
    segments: stored.segments.map(({ document: _document, ...segment }) => ({
      ...segment,
      erpOrderNumber: null,
      erpErrors: [],
      postedAt: null,
    })),
    createdAt,
    updatedAt: createdAt,
    postedAt: null,
    cancelledAt: null,
    cancelReason: null,
  };
}
