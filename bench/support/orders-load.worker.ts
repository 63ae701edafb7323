/*
 * The orders benchmark's load generator, run in a child process (fork) so that it does not share
 * the server's event loop: autocannon POSTing order bodies built per request, each with its own
 * Idempotency-Key and channelOrderRef (a replayed key would measure the idempotency replay, a
 * repeated reference the duplicate check). Receives one job on IPC, sends the result back, exits.
 */
import { createRequire } from 'node:module';
import { type OrderLoadJob, orderRequest } from './order-bodies.js';

interface AutocannonRequest {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

type Autocannon = (
  options: Record<string, unknown>,
  callback: (error: Error | null, result: unknown) => void,
) => unknown;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

process.once('message', (job: OrderLoadJob) => {
  let next = 0;
  autocannon(
    {
      url: job.url,
      method: 'POST',
      headers: job.headers,
      connections: job.connections,
      duration: job.seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (request: AutocannonRequest) => {
            const { key, body } = orderRequest(job, next++);
            request.body = body;
            request.headers = { ...request.headers, 'idempotency-key': key };
            return request;
          },
        },
      ],
    },
    (error, result) => {
      process.send?.(error ? { error: error.message } : { result }, () => process.exit(0));
    },
  );
});
