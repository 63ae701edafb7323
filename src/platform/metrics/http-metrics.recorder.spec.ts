import type { HttpAdapterHost } from '@nestjs/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpMetricsRecorder } from './http-metrics.recorder.js';
import { MetricsService } from './metrics.service.js';

describe(HttpMetricsRecorder.name, () => {
  let fastify: FastifyInstance;
  let metrics: MetricsService;

  beforeEach(() => {
    fastify = Fastify();
    metrics = new MetricsService();
  });
  afterEach(async () => {
    await fastify.close();
  });

  const attach = (): void => {
    const host = { httpAdapter: { getInstance: () => fastify } } as unknown as HttpAdapterHost;
    new HttpMetricsRecorder(host, metrics).onModuleInit();
  };
  // Real HTTP: fastify.inject needs light-my-request, whose ESM dependencies jest cannot require.
  const listen = (): Promise<string> => fastify.listen({ port: 0, host: '127.0.0.1' });

  it('labels a request with its route template, even for routes declared before the hook', async () => {
    fastify.get('/v1/orders/:id', async () => ({ ok: true }));
    attach();

    await fetch(`${await listen()}/v1/orders/ord-42`);

    const text = await metrics.exposition();
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/v1/orders/:id",status_code="200"} 1',
    );
    expect(text).not.toContain('ord-42');
  });

  it('labels requests no route matched as unmatched', async () => {
    attach();

    await fetch(`${await listen()}/v1/anything/else`, { method: 'POST' });

    expect(await metrics.exposition()).toContain(
      'http_request_duration_seconds_count{method="POST",route="unmatched",status_code="404"} 1',
    );
  });
});

describe(MetricsService.name, () => {
  it('returns the metric already registered under a name instead of registering it twice', () => {
    const sut = new MetricsService();
    const first = sut.counter({ name: 'orders_captured_total', help: 'Orders captured' });
    const second = sut.counter({ name: 'orders_captured_total', help: 'Orders captured' });
    expect(second).toBe(first);
  });

  it('keeps one registry per instance, so two apps in one process do not collide', async () => {
    const a = new MetricsService();
    const b = new MetricsService();
    a.gauge({ name: 'queue_depth', help: 'Jobs waiting' }).set(3);
    b.gauge({ name: 'queue_depth', help: 'Jobs waiting' }).set(5);
    expect(await a.exposition()).toMatch(/^queue_depth 3$/m);
    expect(await b.exposition()).toMatch(/^queue_depth 5$/m);
  });

  it('refuses one name asked for as two kinds of metric', () => {
    const sut = new MetricsService();
    sut.histogram({ name: 'erp_call_seconds', help: 'ERP call duration' });
    expect(() => sut.counter({ name: 'erp_call_seconds', help: 'ERP call duration' })).toThrow(
      /already registered/,
    );
  });
});
