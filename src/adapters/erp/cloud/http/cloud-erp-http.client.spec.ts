import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CorrelationContext } from '../../../../platform/correlation/index.js';
import {
  BUSINESS_CENTRAL_ONLINE_LIMITS,
  CloudErpHttpClient,
  type CloudErpGovernorConfig,
} from './cloud-erp-http.client.js';
import { ErpCircuitOpenError, ErpHttpError, ErpTransportError } from './cloud-erp.errors.js';
import { OAuthClientCredentials } from './oauth-client-credentials.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A real HTTP server on loopback whose behaviour each test scripts. */
async function scriptedErp(handler: Handler) {
  let n = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const seen: IncomingMessage[] = [];
  let tokens = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/token') {
      tokens++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: `t${tokens}`, expires_in: 3600 }));
      return;
    }
    seen.push(req);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handler(req, res, ++n);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    get calls() {
      return n;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get tokens() {
      return tokens;
    },
    // Keep-alive sockets (and the never-answered request's) would hold close() open.
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function client(url: string, governor: Partial<CloudErpGovernorConfig> = {}) {
  return new CloudErpHttpClient({
    baseUrl: url,
    auth: new OAuthClientCredentials({
      tokenUrl: `${url}/token`,
      clientId: 'c',
      clientSecret: 's',
      scope: 'x',
    }),
    governor: {
      ...BUSINESS_CENTRAL_ONLINE_LIMITS,
      initialBackoffMs: 5,
      maxBackoffMs: 20,
      requestsPerWindow: 100_000,
      windowMs: 1000,
      ...governor,
    },
  });
}

describe(CloudErpHttpClient.name, () => {
  it('retries a read after transient 5xx answers and returns the eventual body', async () => {
    const erp = await scriptedErp((_req, res, n) =>
      n < 3
        ? json(res, 503, { error: { code: 'Unavailable', message: 'busy' } })
        : json(res, 200, { value: [1] }),
    );
    const sut = client(erp.url);
    const res = await sut.request<{ value: number[] }>({ method: 'GET', path: '/items' });
    expect(res.body.value).toEqual([1]);
    expect(erp.calls).toBe(3);
    expect(sut.stats.retries).toBe(2);
    await erp.close();
  });

  it('waits for Retry-After after a 429 before the next attempt', async () => {
    const erp = await scriptedErp((_req, res, n) =>
      n === 1
        ? json(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '1' })
        : json(res, 200, {}),
    );
    const sut = client(erp.url);
    const started = Date.now();
    await sut.request({ method: 'GET', path: '/items' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sut.stats.throttled).toBe(1);
    await erp.close();
  });

  it('never repeats a create after an ambiguous failure, but does after a 429', async () => {
    const erp = await scriptedErp((_req, res, n) =>
      n === 1
        ? json(res, 429, {}, { 'retry-after': '0' })
        : json(res, 500, { error: { code: 'Internal' } }),
    );
    const sut = client(erp.url);
    await expect(
      sut.request({ method: 'POST', path: '/salesOrders', body: {} }),
    ).rejects.toBeInstanceOf(ErpHttpError);
    expect(erp.calls).toBe(2);
    await erp.close();
  });

  it('refreshes the token once when the ERP answers 401', async () => {
    const erp = await scriptedErp((req, res) =>
      req.headers.authorization === 'Bearer t1' ? json(res, 401, {}) : json(res, 200, { ok: true }),
    );
    const sut = client(erp.url);
    const res = await sut.request<{ ok: boolean }>({ method: 'GET', path: '/items' });
    expect(res.body.ok).toBe(true);
    expect(erp.tokens).toBe(2);
    await erp.close();
  });

  it('sends the ambient correlation id and caps concurrent requests', async () => {
    const erp = await scriptedErp((_req, res) => setTimeout(() => json(res, 200, {}), 30));
    const sut = client(erp.url, { maxConcurrent: 3 });
    await CorrelationContext.run({ correlationId: 'corr-erp-1', origin: 'job' }, () =>
      Promise.all(Array.from({ length: 12 }, () => sut.request({ method: 'GET', path: '/items' }))),
    );
    expect(erp.maxInFlight).toBeLessThanOrEqual(3);
    expect(erp.seen.every((r) => r.headers['x-correlation-id'] === 'corr-erp-1')).toBe(true);
    await erp.close();
  });

  it('spaces requests to stay under the configured rate', async () => {
    const erp = await scriptedErp((_req, res) => json(res, 200, {}));
    const sut = client(erp.url, { requestsPerWindow: 20, windowMs: 1000, maxConcurrent: 5 });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 11 }, () => sut.request({ method: 'GET', path: '/items' })),
    );
    // 11 starts at 50 ms spacing need at least 500 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(480);
    await erp.close();
  });

  it('keeps a timed-out request slot for the hold time before the next request starts', async () => {
    // The ERP counts a request in flight until its socket closes, which it notices a moment
    // after our timeout; the next request must not start inside that moment. Only a lower bound
    // on the gap is asserted: a loaded machine can only make it longer.
    const arrivals: number[] = [];
    const erp = await scriptedErp((_req, res, n) => {
      arrivals.push(performance.now());
      if (n === 1) return; // never answered
      json(res, 200, {});
    });
    const holdMs = 300;
    const sut = client(erp.url, {
      maxConcurrent: 1,
      requestTimeoutMs: 200,
      maxAttempts: 1,
      abandonedSlotHoldMs: holdMs,
    });
    const timedOut = sut.request({ method: 'GET', path: '/slow' });
    const next = sut.request({ method: 'GET', path: '/items' });
    await expect(timedOut).rejects.toBeInstanceOf(ErpTransportError);
    await next;
    expect(arrivals).toHaveLength(2);
    // The second request waits for the first one's timeout (200 ms after it was sent, which
    // covers its trip to the ERP) and then the hold.
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(holdMs);
    await erp.close();
  });

  it('opens the circuit after repeated failures and refuses calls quickly', async () => {
    const erp = await scriptedErp((_req, res) => json(res, 503, {}));
    const sut = client(erp.url, {
      maxAttempts: 1,
      breakerThreshold: 3,
      breakerHalfOpenAfterMs: 60_000,
    });
    for (let i = 0; i < 3; i++) {
      await expect(sut.request({ method: 'GET', path: '/items' })).rejects.toBeInstanceOf(
        ErpHttpError,
      );
    }
    await expect(sut.request({ method: 'GET', path: '/items' })).rejects.toBeInstanceOf(
      ErpCircuitOpenError,
    );
    expect(erp.calls).toBe(3);
    await erp.close();
  });
});
