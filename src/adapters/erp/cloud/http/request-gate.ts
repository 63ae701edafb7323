export interface RequestGateConfig {
  /** Sustained starts per millisecond. */
  ratePerMs: number;
  /** Starts allowed back to back after a quiet spell (token bucket capacity, at least 1). */
  burst: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
  now?: () => number;
}

export type GatePriority = 'high' | 'normal';

/** Gives the slot back; call exactly once (later calls are ignored). */
export type ReleaseSlot = () => void;

interface Waiter {
  resolve: (release: ReleaseSlot) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * Admits requests to the cloud ERP: a token bucket for the rate (refilled continuously, so the
 * long-run rate is exact however late timers fire, with at most `burst` starts back to back), a
 * concurrency cap, a pause (after a 429 with Retry-After), and two priorities so a health check
 * never waits behind a sync's queue.
 *
 * Why not evenly spaced starts (Bottleneck's minTime): every start then lands a timer tick late,
 * and the lost milliseconds add up to several percent of the rate under load.
 */
export class RequestGate {
  private tokens: number;
  private refilledAt: number;
  private active = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly queues: Record<GatePriority, Waiter[]> = { high: [], normal: [] };
  private readonly now: () => number;

  constructor(private readonly config: RequestGateConfig) {
    if (!(config.ratePerMs > 0)) throw new RangeError('ratePerMs must be positive');
    if (!(config.burst >= 1)) throw new RangeError('burst must be at least 1');
    if (!(config.maxConcurrent >= 1)) throw new RangeError('maxConcurrent must be at least 1');
    this.now = config.now ?? Date.now;
    this.tokens = config.burst;
    this.refilledAt = this.now();
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.queues.high.length + this.queues.normal.length;
  }

  /** Waits for a slot; rejects with the signal's reason if it aborts first. */
  acquire(priority: GatePriority = 'normal', signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const queue = this.queues[priority];
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queues[priority].push(waiter);
      this.pump();
    });
  }

  /** No new request starts before `untilMs` (epoch ms); a later pause extends an earlier one. */
  pauseUntil(untilMs: number): void {
    if (untilMs <= this.pausedUntil) return;
    this.pausedUntil = untilMs;
    // The ERP said we were over its limit: restart from an empty bucket when the pause ends, so
    // no burst (saved up during the pause) follows a 429 straight into the next one.
    this.tokens = 0;
    this.refilledAt = untilMs;
    this.pump();
  }

  private pump(): void {
    for (;;) {
      const queue = this.queues.high.length > 0 ? this.queues.high : this.queues.normal;
      if (queue.length === 0 || this.active >= this.config.maxConcurrent) return;
      const now = this.now();
      if (now < this.pausedUntil) return this.schedule(this.pausedUntil - now);
      this.refill(now);
      if (this.tokens < 1) {
        return this.schedule(Math.ceil((1 - this.tokens) / this.config.ratePerMs));
      }
      this.tokens -= 1;
      this.active += 1;
      const waiter = queue.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.active -= 1;
        this.pump();
      });
    }
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.config.burst, this.tokens + elapsed * this.config.ratePerMs);
    this.refilledAt = now;
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, delayMs),
    );
  }
}
