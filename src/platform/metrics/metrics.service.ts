import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';

/**
 * The app's Prometheus registry and the metric factories other modules use.
 *
 * One registry per app instance, never prom-client's global one: tests and benchmarks run several
 * apps in one process, and registering a name twice in a shared registry throws.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The counter called `config.name`, registered on first use; later calls return the same one. */
  counter<L extends string = string>(config: CounterConfiguration<L>): Counter<L> {
    const existing = this.existing(config.name, Counter);
    return existing
      ? (existing as Counter<L>)
      : new Counter<L>({ ...config, registers: [this.registry] });
  }

  /** The gauge called `config.name`, registered on first use; later calls return the same one. */
  gauge<L extends string = string>(config: GaugeConfiguration<L>): Gauge<L> {
    const existing = this.existing(config.name, Gauge);
    return existing
      ? (existing as Gauge<L>)
      : new Gauge<L>({ ...config, registers: [this.registry] });
  }

  /** The histogram called `config.name`, registered on first use; later calls return the same one. */
  histogram<L extends string = string>(config: HistogramConfiguration<L>): Histogram<L> {
    const existing = this.existing(config.name, Histogram);
    return existing
      ? (existing as Histogram<L>)
      : new Histogram<L>({ ...config, registers: [this.registry] });
  }

  /** Every metric in Prometheus text exposition format. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type matching `exposition()` (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  private existing(name: string, kind: typeof Counter | typeof Gauge | typeof Histogram): unknown {
    const metric = this.registry.getSingleMetric(name);
    // One name asked for as two kinds is a programming error: fail at start-up, loudly.
    if (metric && !(metric instanceof kind)) {
      throw new Error(`Metric ${name} is already registered as another kind`);
    }
    return metric;
  }
}
