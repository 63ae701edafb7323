/*
 * The pricing benchmark's load generator, run in a child process (fork) so that it does not share
 * the server's event loop: autocannon with a rotating set of request bodies. Receives one job on
 * IPC, sends the autocannon result back, exits.
 */
import { createRequire } from 'node:module';

interface LoadJob {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  bodies: string[];
  connections: number;
  seconds: number;
}

interface AutocannonRequest {
  method?: string;
  body?: string;
}

type Autocannon = (
  options: Record<string, unknown>,
  callback: (error: Error | null, result: unknown) => void,
) => unknown;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

process.once('message', (job: LoadJob) => {
  let next = 0;
  autocannon(
    {
      url: job.url,
      method: job.method,
      headers: job.headers,
      connections: job.connections,
      duration: job.seconds,
      requests: [
        {
          method: job.method,
          setupRequest: (request: AutocannonRequest) => {
            if (job.bodies.length === 0) return request;
            request.body = job.bodies[next++ % job.bodies.length];
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
