import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import { InventoryService } from '../../../../inventory/index.js';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { JobsService } from '../../../../../platform/jobs/index.js';
import type { Order, SegmentStatus } from '../../../domain/order.js';
import { OrderStore } from '../../../infrastructure/order.store.js';
import { OrderErrors } from '../../orders.errors.js';
import { CANCEL_SEGMENT_JOB, type CancelSegmentPayload } from '../../posting/posting.jobs.js';
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

  async execute({ orderId, channelId, reason }: CancelOrderCommand): Promise<Order> {
    try {
      await this.store.transaction(async (manager) => {
        // A posting in flight holds its segment's lock until the ERP answered: wait a little.
        await manager.query(`SET LOCAL lock_timeout = '10s'`);
        // Segments first, then the order: the order in which posting jobs lock them (a job holds
        // its segment, then takes the order row to record the outcome), so the two never deadlock.
        const segments = await this.store.lockSegments(manager, orderId);
        const order = await this.store.lockOrder(manager, orderId);
        if (!order || (channelId !== null && order.channelId !== channelId)) {
          throw OrderErrors.notFound(orderId);
        }
        if (order.status === 'CANCELLED') return;
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
        await this.inventory.release(orderId, `order cancelled: ${reason}`, { manager });
        await this.store.setStatus(manager, orderId, 'CANCELLED', { cancelReason: reason });
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
