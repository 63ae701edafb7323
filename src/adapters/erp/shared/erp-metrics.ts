import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsService } from '../../../platform/metrics/index.js';

/** Observes one call to the ERP: the adapter and its outcome (HTTP status, `timeout`, `ok`, ...). */
export type ErpCallObserver = (status: string) => void;

/** `erp_requests_total{adapter,status}`: every HTTP attempt (cloud) or SQL statement (on-prem). */
@Injectable()
export class ErpMetrics {
  private readonly requests: Counter<'adapter' | 'status'>;

  constructor(metrics: MetricsService) {
    this.requests = metrics.counter({
      name: 'erp_requests_total',
      help: 'Calls to the ERP, by adapter and outcome (HTTP status, timeout, network; SQL ok/error)',
      labelNames: ['adapter', 'status'],
    });
  }

  observer(adapter: string): ErpCallObserver {
    return (status) => this.requests.inc({ adapter, status });
  }
}
