import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../../../platform/metrics/index.js';

export type CaptureOutcome = 'accepted' | 'held' | 'rejected';
export type DuplicateKind = 'idempotency_key' | 'business_key' | 'erp_lookup';

/** Order metrics: what channels send and how it ends, duplicates stopped, posting latency. */
@Injectable()
export class OrdersMetrics {
  private readonly received: Counter<'channel' | 'outcome' | 'code'>;
  private readonly duplicates: Counter<'kind' | 'route'>;
  private readonly postingLatency: Histogram<'adapter'>;
  private readonly postings: Counter<'adapter' | 'result'>;
  private readonly erpChanges: Counter<'kind'>;
  private readonly quantityExceptions: Counter<'source' | 'refusal'>;

  constructor(metrics: MetricsService) {
    this.received = metrics.counter({
      name: 'crossdock_orders_received_total',
      help: 'Orders received, by channel and outcome (accepted, held, rejected) and the deciding violation code',
      labelNames: ['channel', 'outcome', 'code'],
    });
    // Shared with the idempotency interceptor, which counts kind="idempotency_key" per route.
    this.duplicates = metrics.counter({
      name: 'crossdock_duplicates_prevented_total',
      help: 'Duplicates stopped: replayed Idempotency-Key, business key (channel order ref), ERP look-up before create',
      labelNames: ['kind', 'route'],
    });
    this.postingLatency = metrics.histogram({
      name: 'crossdock_order_posting_latency_seconds',
      help: 'Time from order capture to POSTED (every segment created in the ERP)',
      labelNames: ['adapter'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    });
    this.postings = metrics.counter({
      name: 'crossdock_order_segment_postings_total',
      help: 'Segment posting attempts by adapter and result (created, found, pending, rejected, error)',
      labelNames: ['adapter', 'result'],
    });
    this.erpChanges = metrics.counter({
      name: 'crossdock_order_erp_changes_applied_total',
      help: 'ERP-side order changes applied to order lines, by kind (ordered: a quantity edit; cancelled: a line or order cancelled, deleted or closed in the ERP)',
      labelNames: ['kind'],
    });
    this.quantityExceptions = metrics.counter({
      name: 'crossdock_order_quantity_exceptions_total',
      help: 'Changes refused because the line quantities would not clear (ordered >= shipped + cancelled, shipped >= invoiced), by source and refusal',
      labelNames: ['source', 'refusal'],
    });
  }

  orderReceived(channel: string, outcome: CaptureOutcome, codes: readonly string[]): void {
    if (codes.length === 0) this.received.inc({ channel, outcome, code: 'none' });
    for (const code of new Set(codes)) this.received.inc({ channel, outcome, code });
  }

  duplicatePrevented(kind: DuplicateKind): void {
    this.duplicates.inc({ kind, route: '/v1/orders' });
  }

  posted(adapter: string, capturedAt: Date): void {
    this.postingLatency.observe({ adapter }, (Date.now() - capturedAt.getTime()) / 1000);
  }

  postingAttempt(adapter: string, result: string): void {
    this.postings.inc({ adapter, result });
  }

  erpChangeApplied(kind: string, lines = 1): void {
    this.erpChanges.inc({ kind }, lines);
  }

  quantityException(source: string, refusal: string): void {
    this.quantityExceptions.inc({ source, refusal });
  }
}
