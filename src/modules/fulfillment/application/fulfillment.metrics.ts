import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../../../platform/metrics/index.js';
import { Clock } from '../../../platform/clock/index.js';

const DAY_MS = 86_400_000;
const DELAY_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86400, 3 * 86400, 7 * 86400];

/**
 * Fulfillment metrics (issue 14): confirmation delay (ship date → hub → ERP), orders shipped late
 * against the requested date, invoices per order, quantity-clearing exceptions, confirmations
 * by outcome.
 */
@Injectable()
export class FulfillmentMetrics {
  private readonly shipments: Counter<'source' | 'timeliness'>;
  private readonly confirmations: Counter<'source' | 'outcome' | 'code'>;
  private readonly toHub: Histogram<'source'>;
  private readonly toErp: Histogram<'adapter' | 'source'>;
  private readonly erpPostings: Counter<'adapter' | 'result'>;
  private readonly invoices: Counter<'status'>;
  private readonly invoicesPerOrder: Histogram;
  private readonly clearing: Counter<'source' | 'refusal'>;

  constructor(
    metrics: MetricsService,
    private readonly clock: Clock,
  ) {
    this.shipments = metrics.counter({
      name: 'crossdock_shipments_total',
      help: 'Shipments recorded by source (erp, wms, supplier) and whether they shipped after the requested date (late, on_time, no_date)',
      labelNames: ['source', 'timeliness'],
    });
    this.confirmations = metrics.counter({
      name: 'crossdock_shipment_confirmations_total',
      help: 'POST /v1/shipments by source and outcome (created, replayed, refused) and the refusing code',
      labelNames: ['source', 'outcome', 'code'],
    });
    this.toHub = metrics.histogram({
      name: 'crossdock_shipment_confirmation_delay_seconds',
      help: 'From the ship date (start of day, UTC) to the hub recording the shipment',
      labelNames: ['source'],
      buckets: DELAY_BUCKETS,
    });
    this.toErp = metrics.histogram({
      name: 'crossdock_shipment_erp_posting_delay_seconds',
      help: 'From the hub recording a WMS/supplier shipment to the ERP holding it',
      labelNames: ['adapter', 'source'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 86400],
    });
    this.erpPostings = metrics.counter({
      name: 'crossdock_shipment_erp_postings_total',
      help: 'Shipment posting attempts by adapter and result (created, found, pending, rejected, unsupported, error)',
      labelNames: ['adapter', 'result'],
    });
    this.invoices = metrics.counter({
      name: 'crossdock_invoices_total',
      help: 'ERP invoices recorded (new or changed) by status',
      labelNames: ['status'],
    });
    this.invoicesPerOrder = metrics.histogram({
      name: 'crossdock_invoices_per_order',
      help: 'Invoices an order has when a new one of its invoices is recorded',
      buckets: [1, 2, 3, 5, 10, 20],
    });
    this.clearing = metrics.counter({
      name: 'crossdock_quantity_clearing_exceptions_total',
      help: 'Shipments, invoices or ERP changes refused because the order line quantities would not clear',
      labelNames: ['source', 'refusal'],
    });
  }

  shipmentRecorded(source: string, shipDate: string, requestedDate: string | null): void {
    const timeliness =
      requestedDate === null ? 'no_date' : shipDate > requestedDate ? 'late' : 'on_time';
    this.shipments.inc({ source, timeliness });
    const shippedAt = Date.parse(`${shipDate}T00:00:00Z`);
    const delay = Math.max(0, (this.clock.now().getTime() - shippedAt) / 1000);
    // A ship date far in the future or past says more about the sender's clock than the delay.
    if (delay < (30 * DAY_MS) / 1000) this.toHub.observe({ source }, delay);
    if (source !== 'erp') this.confirmations.inc({ source, outcome: 'created', code: 'none' });
  }

  confirmationReplayed(source: string): void {
    this.confirmations.inc({ source, outcome: 'replayed', code: 'none' });
  }

  confirmationRefused(source: string, code: string): void {
    this.confirmations.inc({ source, outcome: 'refused', code });
  }

  erpPosting(adapter: string, result: string): void {
    this.erpPostings.inc({ adapter, result });
  }

  postedToErp(adapter: string, source: string, receivedAt: Date): void {
    this.toErp.observe(
      { adapter, source },
      Math.max(0, (this.clock.now().getTime() - receivedAt.getTime()) / 1000),
    );
  }

  invoiceRecorded(status: string, invoicesOfOrder: number, isNew: boolean): void {
    this.invoices.inc({ status });
    if (isNew) this.invoicesPerOrder.observe(invoicesOfOrder);
  }

  quantitiesDidNotClear(source: string, refusal: string): void {
    this.clearing.inc({ source, refusal });
  }
}
