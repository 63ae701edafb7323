import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Histogram } from 'prom-client';
import { MetricsService } from './metrics.service.js';

export const HTTP_DURATION_METRIC = 'http_request_duration_seconds';
/** The route label of requests no route matched (their raw URLs would explode the label set). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every HTTP request into `http_request_duration_seconds{method,route,status_code}`, where
 * `route` is the route template (`/v1/orders/:id`), never the raw URL: ids in a label would create
 * one time series per order.
 */
@Injectable()
export class HttpMetricsRecorder implements OnModuleInit {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    metrics: MetricsService,
  ) {
    this.duration = metrics.histogram({
      name: HTTP_DURATION_METRIC,
      help: 'Duration of HTTP requests in seconds, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  onModuleInit(): void {
    // Fastify gives each route its root-level hooks when the server gets ready, so a hook added
    // here (after Nest registered the routes, before listen) still applies to all of them.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      this.duration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? UNMATCHED_ROUTE,
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}
