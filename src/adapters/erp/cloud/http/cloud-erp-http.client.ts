import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { CorrelationContext } from '../../../../platform/correlation/index.js';
import { ErpCircuitOpenError, ErpHttpError, ErpTransportError } from './cloud-erp.errors.js';
import { parseBcJson } from '../bc-values.js';
import { OAuthClientCredentials } from './oauth-client-credentials.js';
import { type GatePriority, RequestGate } from './request-gate.js';

export interface CloudErpGovernorConfig {
  /** Requests allowed per window (Business Central online: 6,000 per 5 minutes). */
  requestsPerWindow: number;
  windowMs: number;
  /**
   * Share of the window's allowance left unused (0.02 = aim at 98 %): the ERP counts arrivals in
   * a sliding window, and network jitter must not push one request over its limit.
   */
  rateHeadroom: number;
  /** Simultaneous requests (Business Central online: 5). */
  maxConcurrent: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Consecutive transient failures that open the circuit, and how long it stays open. */
  breakerThreshold: number;
  breakerHalfOpenAfterMs: number;
  /**
   * How long a request slot stays taken after a request failed without an answer (timeout,
   * reset): the ERP counts the request as in flight until it notices the closed socket, so a
   * new request started at once could exceed its concurrency limit.
   */
  abandonedSlotHoldMs: number;
}

export const BUSINESS_CENTRAL_ONLINE_LIMITS: CloudErpGovernorConfig = {
  requestsPerWindow: 6000,
  windowMs: 5 * 60_000,
  rateHeadroom: 0.02,
  maxConcurrent: 5,
  requestTimeoutMs: 30_000,
  maxAttempts: 10,
  initialBackoffMs: 200,
  maxBackoffMs: 10_000,
  breakerThreshold: 20,
  breakerHalfOpenAfterMs: 10_000,
  abandonedSlotHoldMs: 250,
};

export interface CloudErpHttpClientConfig {
  /** Origin of the ERP API, e.g. https://api.businesscentral.dynamics.com/v2.0/<tenant>/production */
  baseUrl: string;
  auth: OAuthClientCredentials;
  governor: CloudErpGovernorConfig;
  fetch?: typeof fetch;
  /** Called once per HTTP attempt with its status code, or `timeout` / `network` (metrics). */
  onAttempt?: (outcome: string) => void;
}

export interface ErpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under baseUrl (leading slash) or an absolute URL such as an @odata.nextLink. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * GETs (and PATCH/DELETE with If-Match) may be retried after any transient failure. A create
   * is retried only when it provably did not reach the ERP (429, connection refused): a lost
   * answer must be resolved by a look-up, never by a blind second POST.
   */
  retrySafe?: boolean;
  /** Overrides the governor's attempts (health checks try once). */
  maxAttempts?: number;
  /** Overrides the governor's per-request timeout. */
  timeoutMs?: number;
  /** `high` jumps the queue (health checks). */
  priority?: GatePriority;
  /** Aborts the request, its retries and its place in the queue. */
  signal?: AbortSignal;
}

export interface ErpResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CloudErpClientStats {
  requests: number;
  throttled: number;
  retries: number;
  failures: number;
}

/**
 * The one way Crossdock talks to the cloud ERP: OAuth2 token, client-side rate limit and
 * concurrency cap (so we stay under the ERP's own limits instead of collecting 429s), retries
 * with exponential backoff and jitter, honouring Retry-After, a circuit breaker, a per-request
 * timeout, and the correlation id on every call.
 */
export class CloudErpHttpClient {
  private readonly gate: RequestGate;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly fetchImpl: typeof fetch;
  readonly stats: CloudErpClientStats = { requests: 0, throttled: 0, retries: 0, failures: 0 };

  constructor(private readonly config: CloudErpHttpClientConfig) {
    const g = config.governor;
    this.fetchImpl = config.fetch ?? fetch;
    this.gate = new RequestGate({
      ratePerMs: (g.requestsPerWindow * (1 - g.rateHeadroom)) / g.windowMs,
      // A few starts back to back absorb late timers; the headroom covers them in any window.
      burst: Math.max(
        1,
        Math.min(g.maxConcurrent, Math.floor(g.requestsPerWindow * g.rateHeadroom)),
      ),
      maxConcurrent: g.maxConcurrent,
    });
    this.breaker = circuitBreaker(
      handleWhen((e) => isTransient(e) && !(e instanceof ErpHttpError && e.status === 429)),
      {
        halfOpenAfter: g.breakerHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(g.breakerThreshold),
      },
    );
  }

  /** `closed` (calls flow), `open` (refused after repeated failures), `halfOpen`, `isolated`. */
  get circuitState(): string {
    const name = CircuitState[this.breaker.state] ?? String(this.breaker.state);
    return name.charAt(0).toLowerCase() + name.slice(1);
  }

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  get governor(): Readonly<CloudErpGovernorConfig> {
    return this.config.governor;
  }

  /** Requests running and waiting at the gate now (profiling: is the gate fed or starved?). */
  get load(): { inFlight: number; queued: number; maxConcurrent: number } {
    return {
      inFlight: this.gate.inFlight,
      queued: this.gate.queued,
      maxConcurrent: this.config.governor.maxConcurrent,
    };
  }

  /** Requests per second the gate admits now (the configured rate until the ERP throttles). */
  get currentRatePerSecond(): number {
    return this.gate.currentRatePerMs * 1000;
  }

  async request<T>(req: ErpRequest): Promise<ErpResponse<T>> {
    const g = this.config.governor;
    const safe = req.retrySafe ?? req.method === 'GET';
    const policy = retry(
      handleWhen((e) => (safe ? isTransient(e) : provablyNotProcessed(e))),
      {
        maxAttempts: Math.max(0, (req.maxAttempts ?? g.maxAttempts) - 1),
        backoff: new ExponentialBackoff({
          initialDelay: g.initialBackoffMs,
          maxDelay: g.maxBackoffMs,
        }),
      },
    );
    policy.onRetry(() => this.stats.retries++);
    try {
      return await policy.execute(() => this.attempt<T>(req), req.signal);
    } catch (error) {
      this.stats.failures++;
      if (error instanceof BrokenCircuitError) throw new ErpCircuitOpenError();
      throw error;
    }
  }

  private attempt<T>(req: ErpRequest): Promise<ErpResponse<T>> {
    return this.breaker.execute(async () => {
      const release = await this.gate.acquire(req.priority ?? 'normal', req.signal);
      const sentAt = Date.now();
      let abandoned = false;
      let answer: RawAnswer;
      try {
        answer = await this.send(req, sentAt);
      } catch (error) {
        abandoned = error instanceof ErpTransportError && !error.notSent;
        throw error;
      } finally {
        if (abandoned) setTimeout(release, this.config.governor.abandonedSlotHoldMs);
        else release();
      }
      // Parsed after the slot is given back: the ERP is done once the body has arrived, and
      // parsing a page of thousands of rows must not keep the next request waiting.
      return toResponse<T>(req, answer);
    });
  }

  private async send(req: ErpRequest, sentAt: number, tokenRetried = false): Promise<RawAnswer> {
    const url = req.path.startsWith('http')
      ? new URL(req.path)
      : new URL(this.config.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const token = await this.config.auth.get();
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'x-correlation-id': CorrelationContext.current() ?? 'crossdock',
      ...req.headers,
    };
    // Decimals travel as strings: BC accepts them only with IEEE754Compatible=true.
    if (req.body !== undefined) headers['content-type'] = 'application/json;IEEE754Compatible=true';
    this.stats.requests++;
    const timeout = AbortSignal.timeout(req.timeoutMs ?? this.config.governor.requestTimeoutMs);
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: req.signal ? AbortSignal.any([timeout, req.signal]) : timeout,
      });
    } catch (error) {
      const transport = toTransportError(error, req);
      this.config.onAttempt?.(transport.timedOut ? 'timeout' : 'network');
      throw transport;
    }
    this.config.onAttempt?.(String(res.status));
    if (res.status === 401 && !tokenRetried) {
      // Tokens can be revoked or rotated early: refresh once, then give up.
      await res.body?.cancel();
      this.config.auth.invalidate(token);
      return this.send(req, sentAt, true);
    }
    if (res.status === 429) {
      this.stats.throttled++;
      // The ERP admits less than we send: slow down (multiplicative decrease, slow increase once
      // quiet), and wait as long as Retry-After says when it says (BC does not promise it).
      this.gate.throttled(parseRetryAfter(res.headers.get('retry-after')), sentAt);
    }
    return { res, text: await readText(res, req), pathname: url.pathname };
  }
}

/** An answer whose body has arrived, not parsed yet. */
interface RawAnswer {
  res: Response;
  text: string;
  pathname: string;
}

function toResponse<T>(req: ErpRequest, { res, text, pathname }: RawAnswer): ErpResponse<T> {
  const body = text.length > 0 ? safeJson(text) : undefined;
  if (!res.ok) {
    const erpError = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ErpHttpError(
      res.status,
      erpError?.code,
      `${req.method} ${pathname} → ${res.status}${erpError?.message ? `: ${erpError.message}` : ''}`,
      parseRetryAfter(res.headers.get('retry-after')),
    );
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

function isTransient(error: unknown): boolean {
  if (error instanceof ErpHttpError) return error.transient;
  return error instanceof ErpTransportError && !error.aborted;
}

function provablyNotProcessed(error: unknown): boolean {
  if (error instanceof ErpHttpError) return error.status === 429;
  return error instanceof ErpTransportError && error.notSent;
}

function toTransportError(error: unknown, req: ErpRequest): ErpTransportError {
  const cause = (error as { cause?: { code?: string } }).cause;
  const name = (error as { name?: string }).name;
  const code = cause?.code ?? name;
  const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  // The caller's own abort (shutdown) is final; a timeout of ours is transient.
  const aborted = name === 'AbortError' && req.signal?.aborted === true;
  return new ErpTransportError(`${req.method} ${req.path}: ${code ?? 'network error'}`, notSent, {
    cause: error,
    timedOut: name === 'TimeoutError',
    aborted,
  });
}

async function readText(res: Response, req: ErpRequest): Promise<string> {
  try {
    return await res.text();
  } catch (error) {
    // Headers arrived but the body did not: the ERP may have done the work.
    throw toTransportError(error, req);
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function safeJson(text: string): unknown {
  try {
    // BC sends decimals as JSON numbers: parsed losslessly, never through a double.
    return parseBcJson(text);
  } catch {
    return { raw: text.slice(0, 500) };
  }
}
