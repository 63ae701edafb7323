import { Command } from '@nestjs/cqrs';
import type { EventProblem, IgnoreReason } from '../../../domain/stock-event.js';

export const STOCK_EVENT_STATUSES = ['APPLIED', 'DUPLICATE', 'IGNORED', 'REJECTED'] as const;
export type StockEventStatus = (typeof STOCK_EVENT_STATUSES)[number];

/** What happened to one event of a batch. */
export interface StockEventResult {
  /** Position of the event in the batch (0-based). */
  index: number;
  /** The event's id when it had a readable one. */
  eventId: string | null;
  status: StockEventStatus;
  /** IGNORED: which ordering rule set it aside. */
  reason?: IgnoreReason;
  /** DUPLICATE: what happened the first time (APPLIED or IGNORED). */
  originalStatus?: 'APPLIED' | 'IGNORED';
  /** REJECTED: every reason. */
  problems?: EventProblem[];
}

/** Apply a batch of pushed stock events (POST /v1/inventory/events). */
export class ApplyStockEventsCommand extends Command<StockEventResult[]> {
  constructor(
    readonly events: readonly unknown[],
    /** The channel that sent them (kept with each event, for operations). */
    readonly channelId: string | null,
  ) {
    super();
  }
}
