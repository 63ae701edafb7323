export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  status: number | 'dropped' | 'timeout';
  ms: number;
  /** X-Correlation-Id (or client-request-id) the client sent, if any. */
  correlationId: string | null;
}

const RECENT_LIMIT = 1000;

/** What the sandbox saw; tests assert on it (e.g. the client never exceeded 5 in flight). */
export class SandboxStats {
  /** API requests received (under /api, token and admin calls not counted). */
  requests = 0;
  /** API requests received and not yet answered or dropped. */
  inFlight = 0;
  /** Highest `inFlight` seen since start or reset. */
  maxConcurrent = 0;
  /** 429 answers (window or queue full). */
  throttled = 0;
  /** 401 answers to API requests. */
  unauthorized = 0;
  /** Injected 5xx answers. */
  errors5xx = 0;
  /** Injected timeouts (held, then the socket closed). */
  timeouts = 0;
  /** Injected commit-then-drop writes. */
  commitThenDrop = 0;
  tokenRequests = 0;
  tokensIssued = 0;
  salesOrdersCreated = 0;
  /** Orders created with an externalDocumentNumber another order already had (BC allows it). */
  duplicateExternalDocumentNumbers = 0;
  byStatus: Record<string, number> = {};
  /** The last 1,000 API requests, oldest first. */
  recent: RequestLogEntry[] = [];

  requestStarted(): void {
    this.requests++;
    this.inFlight++;
    if (this.inFlight > this.maxConcurrent) this.maxConcurrent = this.inFlight;
  }

  requestEnded(entry: RequestLogEntry): void {
    this.inFlight--;
    const key = String(entry.status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    this.recent.push(entry);
    if (this.recent.length > RECENT_LIMIT) this.recent.splice(0, this.recent.length - RECENT_LIMIT);
  }

  /** Zeroes the counters; requests still in flight stay counted in inFlight/maxConcurrent. */
  reset(): void {
    this.requests = 0;
    this.maxConcurrent = this.inFlight;
    this.throttled = 0;
    this.unauthorized = 0;
    this.errors5xx = 0;
    this.timeouts = 0;
    this.commitThenDrop = 0;
    this.tokenRequests = 0;
    this.tokensIssued = 0;
    this.salesOrdersCreated = 0;
    this.duplicateExternalDocumentNumbers = 0;
    this.byStatus = {};
    this.recent = [];
  }

  toJSON(): Omit<SandboxStats, 'reset' | 'requestStarted' | 'requestEnded' | 'toJSON'> {
    const { requests, inFlight, maxConcurrent, throttled, unauthorized, errors5xx, timeouts } =
      this;
    return {
      requests,
      inFlight,
      maxConcurrent,
      throttled,
      unauthorized,
      errors5xx,
      timeouts,
      commitThenDrop: this.commitThenDrop,
      tokenRequests: this.tokenRequests,
      tokensIssued: this.tokensIssued,
      salesOrdersCreated: this.salesOrdersCreated,
      duplicateExternalDocumentNumbers: this.duplicateExternalDocumentNumbers,
      byStatus: { ...this.byStatus },
      recent: [...this.recent],
    };
  }
}
