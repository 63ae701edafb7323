import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/index.js';
import { OutboxService } from '../../../platform/outbox/index.js';
import {
  AVAILABILITY_CHANGED,
  AvailabilityChangedEvent,
  type AvailabilityChangedPayload,
} from '../application/events/availability-changed.event.js';
import { availableToPromise } from '../domain/availability.js';
import { formatQuantity } from '../domain/quantity.js';
import type { PositionState } from './position.store.js';

export interface PositionChange {
  before: PositionState;
  after: PositionState;
  /** Source time of what changed it (event occurredAt, ERP modifiedAt, reservation time). */
  sourceEventAt: Date;
}

/**
 * Writes AvailabilityChanged into the outbox, in the transaction that changed the position,
 * coalesced per SKU × warehouse within INVENTORY_COALESCE_WINDOW_MS: the burst's first old ATP,
 * its last new ATP; a burst that ends where it started publishes nothing.
 */
@Injectable()
export class AvailabilityOutbox implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.registerMapper(AVAILABILITY_CHANGED, (message) => {
      const p = message.payload as AvailabilityChangedPayload;
      return new AvailabilityChangedEvent(
        p.sku,
        p.warehouse,
        p.oldAtp,
        p.newAtp,
        p.sourceEventAt,
        message.id,
        message.correlationId,
      );
    });
  }

  /** Call with positions locked; changes are written in (sku, warehouse) order. */
  async record(manager: EntityManager, changes: readonly PositionChange[]): Promise<void> {
    const sorted = [...changes].sort((a, b) =>
      a.after.sku !== b.after.sku
        ? a.after.sku < b.after.sku
          ? -1
          : 1
        : a.after.warehouse < b.after.warehouse
          ? -1
          : a.after.warehouse > b.after.warehouse
            ? 1
            : 0,
    );
    for (const change of sorted) {
      const oldAtp = formatQuantity(availableToPromise(change.before.figures));
      const newAtp = formatQuantity(availableToPromise(change.after.figures));
      if (oldAtp === newAtp) continue;
      const payload: AvailabilityChangedPayload = {
        sku: change.after.sku,
        warehouse: change.after.warehouse,
        oldAtp,
        newAtp,
        sourceEventAt: change.sourceEventAt.toISOString(),
      };
      await this.outbox.add(
        manager,
        {
          type: AVAILABILITY_CHANGED,
          key: `${payload.sku}@${payload.warehouse}`,
          payload,
          occurredAt: change.sourceEventAt,
        },
        {
          coalesce: {
            windowMs: this.config.inventory.coalesceWindowMs,
            merge: (pending, next) =>
              pending.oldAtp === next.newAtp ? null : { ...next, oldAtp: pending.oldAtp },
          },
        },
      );
    }
  }
}
