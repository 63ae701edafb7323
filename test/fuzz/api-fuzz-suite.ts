import { writeFileSync } from 'node:fs';
import { SCOPES } from '../../src/platform/auth/index.js';
import { DemoPicker, startOrdersHub, syncEverything } from '../orders/orders-test-support.js';
import { createTestChannel } from '../support/channels.js';
import { OpenApiResponseValidator } from '../support/openapi-response-validator.js';
import type { TestApp } from '../support/test-app.js';
import { type FuzzReport, runFuzz, ValuePools } from './api-fuzzer.js';

export interface FuzzSuiteSettings {
  requests: number;
  seed: number;
  concurrency: number;
}

/** FUZZ_REQUESTS, FUZZ_SEED and FUZZ_CONCURRENCY override the defaults. */
export function fuzzSettings(defaults: FuzzSuiteSettings): FuzzSuiteSettings {
  const read = (name: string, fallback: number) => {
    const value = Number(process.env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    requests: read('FUZZ_REQUESTS', defaults.requests),
    seed: read('FUZZ_SEED', defaults.seed),
    concurrency: read('FUZZ_CONCURRENCY', defaults.concurrency),
  };
}

/**
 * The hub as a channel team meets it (on-prem demo ERP, synced demo data), fuzzed with a key that
 * carries every scope and a rate limit the run cannot reach.
 */
export function describeApiFuzz(settings: FuzzSuiteSettings, timeoutMs: number): void {
  describe(`the API under ${settings.requests} generated requests (seed ${settings.seed})`, () => {
    const spec = new OpenApiResponseValidator();
    let hub: TestApp;
    let report: FuzzReport;

    beforeAll(async () => {
      // Generated requests send wrong keys on purpose: the per-address failed-auth throttle
      // (its own suite proves it) would turn every later request into 429.
      hub = await startOrdersHub({ AUTH_FAILURES_PER_MINUTE: '1000000' });
      await syncEverything(hub);
      const { apiKey, channel } = await createTestChannel(hub.app, {
        kind: 'operations',
        scopes: SCOPES,
        rateLimitPerMinute: 1_000_000,
      });
      const demo = new DemoPicker();
      const pools = new ValuePools();
      pools.add(
        'sku',
        demo.dataset.items.slice(0, 200).map((i) => i.sku),
      );
      pools.add(
        'customerId',
        demo
          .goodCustomers()
          .slice(0, 50)
          .map((c) => c.customerNo),
      );
      pools.add(
        'warehouse',
        demo.dataset.warehouses.map((w) => w.code),
      );
      pools.add('channelId', [channel.id]);
      const started = process.hrtime.bigint();
      report = await runFuzz({ baseUrl: hub.baseUrl, apiKey, spec, pools, ...settings });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // FUZZ_REPORT=<file>: the whole report (every failure with its request) as JSON.
      if (process.env.FUZZ_REPORT)
        writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(report, null, 2));
      console.log(
        `fuzz: ${report.requests} requests (seed ${settings.seed}) in ${seconds.toFixed(1)} s over ` +
          `${spec.operations.length} operations; by status: ${JSON.stringify(report.byStatus)}` +
          `\nslowest (total ms): ${JSON.stringify(slowest(report))}` +
          (report.failures.length > 0
            ? `\nfailures: ${JSON.stringify(failureKinds(report), null, 1)}`
            : '') +
          (Object.keys(report.undocumented).length > 0
            ? `\nundocumented 4xx: ${JSON.stringify(report.undocumented, null, 1)}`
            : ''),
      );
    }, timeoutMs);

    afterAll(async () => {
      await hub?.close();
    });

    it('reaches every operation of the spec', () => {
      expect(Object.keys(report.byOperation).sort()).toEqual(
        spec.operations.map((o) => o.operationId).sort(),
      );
    });

    it('never answers 5xx, every 4xx is problem+json with the correlation id, every 2xx as documented', () => {
      // Each failure carries its reproducer: method, URL, headers and (truncated) body.
      expect(report.failures).toEqual([]);
    });
  });
}

/** Failures grouped by status, operation, reason and what was hostile: a readable summary. */
function failureKinds(report: FuzzReport): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const f of report.failures) {
    const mutation = f.request.mutation
      .split('; ')
      .map((m) => m.replace(/[= ].*$/, '').slice(0, 30))
      .join('+');
    const key = `${f.status} ${f.request.operationId} ${f.reason.slice(0, 60)} ← ${mutation}`;
    kinds[key] = (kinds[key] ?? 0) + 1;
  }
  return kinds;
}

function slowest(report: FuzzReport): Record<string, number> {
  return Object.fromEntries(
    Object.entries(report.msByOperation)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 6)
      .map(([operation, ms]) => [operation, Math.round(ms)]),
  );
}
