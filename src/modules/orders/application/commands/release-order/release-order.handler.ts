import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import { InventoryService } from '../../../../inventory/index.js';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { ApplicationError } from '../../../../../platform/errors/index.js';
import type { OrderSnapshot } from '../../../domain/order.js';
import { Order, storedStatusOf } from '../../../domain/order.aggregate.js';
import { IllegalOrderTransitionError } from '../../../domain/order.errors.js';
import { OrderPolicies } from '../../../infrastructure/order-policies.loader.js';
import { OrderStore } from '../../../infrastructure/order.store.js';
import { OrderErrors } from '../../orders.errors.js';
import { OrderPlacement } from '../../order-placement.js';
import { OrderPlanner, type OrderRequest, type PlanningChannel } from '../../order-planner.js';
import { ReleaseOrderCommand } from './release-order.command.js';

const MAX_PLANS = 3;

@CommandHandler(ReleaseOrderCommand)
export class ReleaseOrderHandler implements ICommandHandler<ReleaseOrderCommand> {
  constructor(
    private readonly planner: OrderPlanner,
    private readonly placement: OrderPlacement,
    private readonly store: OrderStore,
    private readonly policies: OrderPolicies,
    private readonly inventory: InventoryService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReleaseOrderHandler.name);
  }

  async execute({ orderId, reason, override }: ReleaseOrderCommand): Promise<OrderSnapshot> {
    const current = await this.store.find(orderId);
    if (!current) throw OrderErrors.notFound(orderId);
    // Checked before planning (cheap refusal), decided again under the row lock.
    released(Order.rehydrate(orderId, current.status));
    const request = (await this.store.request(orderId)) as OrderRequest;
    const channel: PlanningChannel = {
      channelId: current.channelId,
      name: current.channelName,
      kind: current.channelKind,
    };
    const policy = this.policies.for(channel);
    for (let attempt = 1; ; attempt++) {
      const plan = await this.planner.plan(request, channel, policy);
      try {
        await this.store.transaction(async (manager) => {
          const order = await this.store.lockOrder(manager, orderId);
          if (!order) throw OrderErrors.notFound(orderId);
          const lifecycle = released(Order.rehydrate(orderId, order.status));
          const decision = await this.placement.decide(manager, plan, policy, {
            excludeOrderId: orderId,
          });
          if (decision.outcome === 'reject' || plan.lines.length === 0) {
            throw OrderErrors.rejected(decision.rejections);
          }
          if (decision.outcome === 'hold' && !override) {
            throw OrderErrors.holdStillApplies(decision.holds);
          }
          // The hold's reservation (if it has not expired) makes way for the new placement.
          await this.inventory.release(orderId, 'order released: placed again', { manager });
          const placed = await this.placement.place(manager, {
            orderId,
            orderNumber: order.orderNumber,
            header: {
              customerId: order.customerId,
              shipTo: plan.shipTo,
              poNumber: order.poNumber,
              requestedShipDate: order.requestedShipDate,
              currency: plan.currency,
              notes: order.notes,
              orderDate: plan.pricingDate,
            },
            plan,
            decision,
            channel,
            overrideHolds: override,
          });
          await this.store.replacePlan(
            manager,
            lifecycle,
            {
              priceVersion: plan.priceVersion,
              pricingDate: plan.pricingDate,
              total: plan.total,
              holds: placed.holds,
              adjustments: placed.adjustments,
            },
            placed.lines,
            placed.segments,
          );
          await this.store.history(
            manager,
            orderId,
            storedStatusOf(lifecycle.status),
            {
              released: true,
              reason,
              override,
              overriddenHolds: override ? decision.holds.map((h) => h.code) : [],
            },
            CorrelationContext.current() ?? null,
          );
          this.logger.info(
            { orderId, reason, override, holds: decision.holds.map((h) => h.code) },
            'order released',
          );
        });
        break;
      } catch (error) {
        if (error instanceof ApplicationError && error.code === 'INSUFFICIENT_STOCK') {
          if (attempt < MAX_PLANS) continue;
          throw OrderErrors.stockMoved();
        }
        throw error;
      }
    }
    const order = await this.store.find(orderId);
    if (!order) throw OrderErrors.notFound(orderId);
    return order;
  }
}

/** The order, released (ON_HOLD → ACCEPTED) by the aggregate; any other status is refused. */
function released(order: Order): Order {
  const from = order.status;
  try {
    order.release();
    return order;
  } catch (error) {
    if (error instanceof IllegalOrderTransitionError) {
      throw OrderErrors.notOnHold(order.id, storedStatusOf(from));
    }
    throw error;
  }
}
