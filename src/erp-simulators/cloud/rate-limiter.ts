import { BcError } from './bc-error.js';

export interface RateLimitSettings {
  /** Requests per principal in the sliding window (BC online: 6,000 per 5 minutes). */
  requests: number;
  windowSeconds: number;
  /** Requests processed at once (BC online: 5); more wait in the queue. */
  maxConcurrent: number;
  /** Requests that may wait for a slot (BC online: 95); more get 429 at once. */
  maxQueued: number;
}

export const BC_ONLINE_LIMITS: RateLimitSettings = {
  requests: 6000,
  windowSeconds: 300,
  maxConcurrent: 5,
  maxQueued: 95,
};

/**
 * BC's documented online limits (business-central-api-v2.md §3): a sliding request window per
 * user/service principal, and a processing gate with a bounded queue. Past either: 429.
 */
export class RateLimiter {
  private settings: RateLimitSettings;
  private readonly windows = new Map<string, number[]>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    settings: Partial<RateLimitSettings>,
    private readonly now: () => number,
    private readonly retryAfterHeader: () => boolean,
  ) {
    this.settings = validateLimits({ ...BC_ONLINE_LIMITS, ...settings });
  }

  current(): RateLimitSettings {
    return { ...this.settings };
  }

  set(change: Partial<RateLimitSettings>): RateLimitSettings {
    this.settings = validateLimits({ ...this.settings, ...change });
    this.windows.clear();
    return this.current();
  }

  /** Counts the request against the principal's window, or throws 429 with Retry-After. */
  admit(principal: string): void {
    const now = this.now();
    const windowMs = this.settings.windowSeconds * 1000;
    let stamps = this.windows.get(principal);
    if (!stamps) {
      stamps = [];
      this.windows.set(principal, stamps);
    }
    let expired = 0;
    while (expired < stamps.length && stamps[expired] <= now - windowMs) expired++;
    if (expired > 0) stamps.splice(0, expired);
    if (stamps.length >= this.settings.requests) {
      const retryAfter = Math.max(1, Math.ceil((stamps[0] + windowMs - now) / 1000));
      throw this.tooMany(
        `Too many requests reached. Actual (${stamps.length + 1}). Maximum (${this.settings.requests}) per ${this.settings.windowSeconds} seconds.`,
        retryAfter,
      );
    }
    stamps.push(now);
  }

  /** Waits for a processing slot; 429 when the queue is full. Returns the release function. */
  async acquire(): Promise<() => void> {
    if (this.active < this.settings.maxConcurrent) {
      this.active++;
    } else if (this.waiting.length < this.settings.maxQueued) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      throw this.tooMany(
        `The maximum number of concurrent requests (${this.settings.maxConcurrent} running, ${this.settings.maxQueued} queued) has been reached.`,
        1,
      );
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter.
      if (next) next();
      else this.active--;
    };
  }

  /** BC's 429 (Application_TooManyRequests), with Retry-After unless the sandbox omits it. */
  tooMany(message: string, retryAfterSeconds: number): BcError {
    const headers: Record<string, string> = this.retryAfterHeader()
      ? { 'retry-after': String(retryAfterSeconds) }
      : {};
    return new BcError(429, 'Application_TooManyRequests', message, headers);
  }
}

function validateLimits(s: RateLimitSettings): RateLimitSettings {
  for (const [name, min] of [
    ['requests', 1],
    ['windowSeconds', 1],
    ['maxConcurrent', 1],
    ['maxQueued', 0],
  ] as const) {
    const v = s[name];
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`rateLimit.${name} must be an integer >= ${min}`);
  }
  return s;
}
