import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import { InventoryService } from '../../../../inventory/index.js';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { JobsService } from '../../../../../platform/jobs/index.js';
import type { OrderSnapshot, SegmentStatus } from '../../../domain/order.js';
import { Order } from '../../../domain/order.aggregate.js';
import { IllegalOrderTransitionError } from '../../../domain/order.errors.js';
import { OrderStore } from '../../../infrastructure/order.store.js';
import { OrderErrors } from '../../orders.errors.js';
import { CANCEL_SEGMENT_JOB, type CancelSegmentPayload } from '../post-order/post-order.jobs.js';
import { CancelOrderCommand } from './cancel-order.command.js';

const LOCK_NOT_AVAILABLE = '55P03';
/** Segments the ERP cannot have: never sent. Every other one may be there (even QUEUED: an
 * attempt may have created it and crashed before recording it), so the ERP is asked. */
const NEVER_SENT: readonly SegmentStatus[] = ['HELD'];

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly store: OrderStore,
    private readonly inventory: InventoryService,
    private readonly jobs: JobsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CancelOrderHandler.name);
  }

  async execute({ orderId, channelId, reason }: CancelOrderCommand): Promise<OrderSnapshot> {
    try {
      await this.store.transaction(async (manager) => {
        // A posting locks its segment only briefly (to claim its lease, to record the ERP's
        // answer; never across the ERP call): wait a little for that.
        await manager.query(`SET LOCAL lock_timeout = '10s'`);
        // Segments first, then the order: the order in which posting jobs lock them (a job holds
        // its segment, then takes the order row to record the outcome), so the two never deadlock.
        const segments = await this.store.lockSegments(manager, orderId);
        const order = await this.store.lockOrder(manager, orderId);
        if (!order || (channelId !== null && order.channelId !== channelId)) {
          throw OrderErrors.notFound(orderId);
        }
        const lifecycle = Order.rehydrate(orderId, order.status);
        try {
          // Cancelling a cancelled order changes nothing (the same answer again).
          if (!lifecycle.cancel()) return;
        } catch (error) {
          if (error instanceof IllegalOrderTransitionError) {
            throw OrderErrors.notCancellable(orderId, order.status);
          }
          throw error;
        }
        for (const segment of segments) {
          if (segment.status === 'CANCELLED' || segment.status === 'CANCEL_REQUESTED') continue;
          if (NEVER_SENT.includes(segment.status)) {
            await this.store.updateSegment(manager, segment.id, { status: 'CANCELLED' });
            continue;
          }
          await this.store.updateSegment(manager, segment.id, { status: 'CANCEL_REQUESTED' });
          await this.jobs.enqueue<CancelSegmentPayload>(
            CANCEL_SEGMENT_JOB,
            { orderId, segmentId: segment.id },
            { manager },
          );
        }
        // Stock comes back at once: a reservation still held, or (a posted order) the stock
        // handed over to the ERP, which keeps counting against the ERP's allocation until the
        // ERP's cancel has been synced (the cancel jobs confirm it).
        await this.inventory.release(orderId, `order cancelled: ${reason}`, { manager });
        await this.inventory.releaseErpAllocation(orderId, `order cancelled: ${reason}`, {
          manager,
        });
        await this.store.clearReservedQuantities(manager, orderId);
        await this.store.saveStatus(manager, lifecycle, { cancelReason: reason });
        await this.store.history(
          manager,
          orderId,
          'CANCELLED',
          { reason, from: order.status },
          CorrelationContext.current() ?? null,
        );
        this.logger.info({ orderId, from: order.status, reason }, 'order cancelled');
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE)
        throw OrderErrors.busy(orderId);
      throw error;
    }
    const order = await this.store.find(orderId);
    if (!order) throw OrderErrors.notFound(orderId);
    return order;
  }
}
