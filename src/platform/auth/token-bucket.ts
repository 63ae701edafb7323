/** Milliseconds since the epoch; injected so tests drive time without sleeping. */
export type Clock = () => number;

const MS_PER_MINUTE = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  limitPerMinute: number;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** When refused: whole seconds (at least 1) until one request is allowed again. */
  retryAfterSeconds?: number;
}

/**
 * A token bucket holding at most `limitPerMinute` tokens, refilled continuously at
 * `limitPerMinute` tokens per minute: a channel may burst its whole minute's allowance, then
 * proceeds at the sustained rate.
 *
 * Counted in integer "units" (one token = 60 000 units, and every elapsed millisecond adds
 * `limitPerMinute` units) so refill arithmetic is exact, with no floating-point drift.
 */
export class TokenBucket {
  private units: number;
  private updatedAt: number;

  constructor(
    readonly limitPerMinute: number,
    private readonly clock: Clock,
  ) {
    if (!Number.isInteger(limitPerMinute) || limitPerMinute < 1) {
      throw new RangeError(`limitPerMinute must be a positive integer, got ${limitPerMinute}`);
    }
    this.units = this.capacity;
    this.updatedAt = clock();
  }

  take(): RateLimitDecision {
    const decision = this.peek();
    if (!decision.allowed) return decision;
    this.units -= MS_PER_MINUTE;
    return { ...decision, remaining: Math.floor(this.units / MS_PER_MINUTE) };
  }

  /** Whether a take() now would be allowed, without taking anything. */
  peek(): RateLimitDecision {
    this.refill();
    if (this.units >= MS_PER_MINUTE) {
      return {
        allowed: true,
        limitPerMinute: this.limitPerMinute,
        remaining: Math.floor(this.units / MS_PER_MINUTE),
      };
    }
    const waitMs = Math.ceil((MS_PER_MINUTE - this.units) / this.limitPerMinute);
    return {
      allowed: false,
      limitPerMinute: this.limitPerMinute,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    };
  }

  /** True once the bucket has refilled completely: it no longer needs to be kept. */
  isFull(): boolean {
    this.refill();
    return this.units >= this.capacity;
  }

  private get capacity(): number {
    return this.limitPerMinute * MS_PER_MINUTE;
  }

  private refill(): void {
    const now = this.clock();
    // A clock that steps backwards refills nothing; a full refill never needs more than a minute.
    const elapsed = Math.min(Math.max(0, now - this.updatedAt), MS_PER_MINUTE);
    this.units = Math.min(this.capacity, this.units + elapsed * this.limitPerMinute);
    this.updatedAt = now;
  }
}
