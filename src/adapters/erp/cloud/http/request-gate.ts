export interface RequestGateConfig {
  /** Sustained starts per millisecond: the configured limit, never exceeded. */
  ratePerMs: number;
  /**
   * Adapting to what the ERP really admits (AIMD, as TCP congestion control): a 429 multiplies
   * the rate by `decrease`, once per round (a 429 for a request sent before the last decrease
   * answers the old rate; without the send time, at most once per `decreaseCooldownMs`); after
   * `quietMs` without a 429 the rate grows by
   * `increase` × the configured rate every `increaseEveryMs`, up to the configured rate.
   */
  adaptive?: Partial<AdaptiveRateConfig>;
  /** Starts allowed back to back after a quiet spell (token bucket capacity, at least 1). */
  burst: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
  now?: () => number;
}

export interface AdaptiveRateConfig {
  decrease: number;
  decreaseCooldownMs: number;
  quietMs: number;
  increase: number;
  increaseEveryMs: number;
  /** The rate never drops below this share of the configured rate. */
  minShare: number;
}

export const DEFAULT_ADAPTIVE_RATE: AdaptiveRateConfig = {
  decrease: 0.8,
  decreaseCooldownMs: 1000,
  quietMs: 2000,
  increase: 0.01,
  increaseEveryMs: 1000,
  minShare: 0.01,
};

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
 * concurrency cap, a rate that adapts to the ERP's 429s (AIMD, never above the configured one),
 * a pause (Retry-After when the ERP sends one), and two priorities so a health check never
 * waits behind a sync's queue.
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
  private readonly adaptive: AdaptiveRateConfig;
  /** The rate in force: the configured one until the ERP throttles us. */
  private rate: number;
  private lastThrottleAt = Number.NEGATIVE_INFINITY;
  /** The rate the last 429 answered: growth slows down near it (the ERP's limit is there). */
  private throttledRate = Number.POSITIVE_INFINITY;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  /** Increases are counted from here (the later of the quiet period's end and the last step). */
  private increasedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly config: RequestGateConfig) {
    if (!(config.ratePerMs > 0)) throw new RangeError('ratePerMs must be positive');
    if (!(config.burst >= 1)) throw new RangeError('burst must be at least 1');
    if (!(config.maxConcurrent >= 1)) throw new RangeError('maxConcurrent must be at least 1');
    this.adaptive = { ...DEFAULT_ADAPTIVE_RATE, ...config.adaptive };
    const a = this.adaptive;
    if (!(a.decrease > 0 && a.decrease < 1)) throw new RangeError('decrease must be in (0, 1)');
    if (!(a.increase > 0) || !(a.increaseEveryMs > 0)) {
      throw new RangeError('increase and increaseEveryMs must be positive');
    }
    this.now = config.now ?? Date.now;
    this.rate = config.ratePerMs;
    this.tokens = config.burst;
    this.refilledAt = this.now();
  }

  /** Starts per millisecond now in force (at most the configured rate). */
  get currentRatePerMs(): number {
    this.adapt(this.now());
    return this.rate;
  }

  /**
   * The ERP answered 429. The rate drops (multiplicative decrease) and the gate restarts from an
   * empty bucket: after `retryAfterMs` when the ERP said how long, else after one interval at
   * the new rate (BC's docs do not promise Retry-After; the lower rate is the back-off).
   */
  throttled(retryAfterMs?: number, sentAt?: number): void {
    const now = this.now();
    this.adapt(now);
    this.lastThrottleAt = now;
    // One decrease per round: a 429 for a request sent before the last decrease answers the old
    // rate. Without the send time, a cooldown stands in for it.
    const fresh =
      sentAt === undefined
        ? now - this.lastDecreaseAt >= this.adaptive.decreaseCooldownMs
        : sentAt >= this.lastDecreaseAt;
    if (fresh) {
      this.lastDecreaseAt = now;
      this.throttledRate = this.rate;
      this.rate = Math.max(
        this.config.ratePerMs * this.adaptive.minShare,
        this.rate * this.adaptive.decrease,
      );
    }
    const pauseMs = retryAfterMs ?? Math.ceil(1 / this.rate);
    this.pauseUntil(now + pauseMs);
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
        return this.schedule(Math.ceil((1 - this.tokens) / this.rate));
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
    this.adapt(now);
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.config.burst, this.tokens + elapsed * this.rate);
    this.refilledAt = now;
  }

  /** Additive increase: one step per `increaseEveryMs` after `quietMs` without a 429. */
  private adapt(now: number): void {
    if (this.rate >= this.config.ratePerMs) return;
    const quietEnd = this.lastThrottleAt + this.adaptive.quietMs;
    if (now < quietEnd) return;
    const from = Math.max(quietEnd, this.increasedAt);
    const steps = Math.floor((now - from) / this.adaptive.increaseEveryMs);
    if (steps <= 0) {
      if (this.increasedAt < quietEnd) this.increasedAt = quietEnd;
      return;
    }
    // Tokens earned so far at the old rate are kept before the rate changes.
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.config.burst, this.tokens + elapsed * this.rate);
    this.refilledAt = Math.max(this.refilledAt, now);
    this.increasedAt = from + steps * this.adaptive.increaseEveryMs;
    const step = this.adaptive.increase * this.config.ratePerMs;
    for (let i = 0; i < steps && this.rate < this.config.ratePerMs; i++) {
      // Close to where the ERP said no last time, creep (a quarter step): fewer 429s there.
      const near = this.rate + step > this.throttledRate * 0.95;
      this.rate = Math.min(this.config.ratePerMs, this.rate + (near ? step / 4 : step));
    }
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
