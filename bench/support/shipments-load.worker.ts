/*
 * The shipments benchmark's load generator, run in a child process (fork) so that it does not
 * share the server's event loop: autocannon POSTing shipment confirmations, each with its own
 * sourceDocumentId (a repeated one would measure the idempotent replay), one unit of a posted
 * order's line each, round robin over the orders. Receives one job on IPC, answers, exits.
 */
import { createRequire } from 'node:module';

export interface ShipmentLoadJob {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Unique per step: the document ids of one step never meet another's. */
  prefix: string;
  /** The ERP orders (segment references) and the SKU of their one line. */
  orders: { reference: string; sku: string }[];
  /** Confirmations already sent to these orders (each ships 1 unit): where this step starts. */
  offset: number;
}

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

export function confirmationBody(job: ShipmentLoadJob, i: number): string {
  const order = job.orders[(job.offset + i) % job.orders.length];
  return JSON.stringify({
    sourceDocumentId: `${job.prefix}-${i}`,
    order: order.reference,
    shipDate: new Date().toISOString().slice(0, 10),
    carrier: 'UPS',
    service: 'GROUND',
    trackingNumbers: [`1Z${String(job.offset + i).padStart(16, '0')}`],
    lines: [{ lineNo: 1, sku: order.sku, quantity: '1' }],
  });
}

process.once('message', (job: ShipmentLoadJob) => {
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
            request.body = confirmationBody(job, next++);
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
