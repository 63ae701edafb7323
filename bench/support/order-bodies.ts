/** Order bodies for the orders benchmark: built per request, unique references. */

export interface OrderLoadLine {
  sku: string;
  uom: string;
  quantity: string;
}

export interface OrderMix {
  /** Unique per run: every channelOrderRef and Idempotency-Key starts with it. */
  refPrefix: string;
  /** Customers, rotated order by order (spread over credit accounts). */
  customers: string[];
  /** Lines, taken `linesPerOrder` at a time in rotation. */
  lines: OrderLoadLine[];
  linesPerOrder: number;
}

export interface OrderLoadJob extends OrderMix {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

/** The n-th order of a mix: its Idempotency-Key and its body. */
export function orderRequest(mix: OrderMix, n: number): { key: string; body: string } {
  const lines = Array.from({ length: mix.linesPerOrder }, (_, k) => {
    const line = mix.lines[(n * mix.linesPerOrder + k) % mix.lines.length];
    return { lineRef: String(k + 1), sku: line.sku, quantity: line.quantity, uom: line.uom };
  });
  const ref = `${mix.refPrefix}-${n}`;
  return {
    key: ref,
    body: JSON.stringify({
      channelOrderRef: ref,
      customerId: mix.customers[n % mix.customers.length],
      poNumber: `PO-${n}`,
      lines,
    }),
  };
}

/** What the bench reads from autocannon's result. */
export interface OrderLoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Seconds the run lasted. */
  duration: number;
  /** Answers by HTTP status code. */
  statusCodeStats: Record<string, { count: number }>;
}
