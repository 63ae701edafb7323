/** A non-2xx answer from the cloud ERP, with Business Central's error code when it sent one. */
export class ErpHttpError extends Error {
  constructor(
    readonly status: number,
    readonly erpCode: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ErpHttpError';
  }

  /** 408/429/5xx: the request did not (or may not have) done its work; safe reads retry. */
  get transient(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** No answer at all: timeout, connection reset, or the socket closed after the request was sent. */
export class ErpTransportError extends Error {
  /** Our per-request timeout fired. */
  readonly timedOut: boolean;
  /** The caller aborted (shutdown): not retried. */
  readonly aborted: boolean;

  constructor(
    message: string,
    /** True when the request provably never reached the ERP (connection refused / DNS). */
    readonly notSent: boolean,
    options: { cause?: unknown; timedOut?: boolean; aborted?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ErpTransportError';
    this.timedOut = options.timedOut ?? false;
    this.aborted = options.aborted ?? false;
  }
}

/** The circuit is open: the ERP failed repeatedly and calls are refused for a while. */
export class ErpCircuitOpenError extends Error {
  constructor() {
    super('cloud ERP circuit is open after repeated failures; calls are paused');
    this.name = 'ErpCircuitOpenError';
  }
}
