import { type Clock, type RateLimitDecision, TokenBucket } from './token-bucket.js';

/** Enough for every client of a busy hub; an attacker rotating addresses cannot grow it further. */
const MAX_TRACKED_CLIENTS = 10_000;

/**
 * Throttles failed API-key authentication per client IP: each failure takes a token from the
 * client's bucket (`limitPerMinute` tokens, refilled at that rate); a client whose bucket is empty
 * gets 429 on every authenticated route, before its key is even looked at, until a token is back.
 * Refusing before the check is what stops key guessing: answering 401/200 and only then 429 would
 * still tell the guesser which key works. Successful requests cost nothing, so a valid channel is
 * only affected when it shares an address with someone presenting bad keys.
 *
 * In-process, like ChannelRateLimiter: N instances allow up to N times the limit.
 */
export class AuthFailureLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly clock: Clock = Date.now,
  ) {}

  /** Refused (with retryAfterSeconds) while the client has no failure left this minute. */
  check(clientIp: string): RateLimitDecision {
    const bucket = this.buckets.get(clientIp);
    return bucket
      ? bucket.peek()
      : { allowed: true, limitPerMinute: this.limitPerMinute, remaining: this.limitPerMinute };
  }

  recordFailure(clientIp: string): void {
    let bucket = this.buckets.get(clientIp);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_CLIENTS) this.prune();
      bucket = new TokenBucket(this.limitPerMinute, this.clock);
      this.buckets.set(clientIp, bucket);
    }
    bucket.take();
  }

  /** Drops full buckets (they throttle nothing), else the oldest one. */
  private prune(): void {
    for (const [ip, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(ip);
    if (this.buckets.size >= MAX_TRACKED_CLIENTS) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
  }
}
