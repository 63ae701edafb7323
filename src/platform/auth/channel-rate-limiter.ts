import { type Clock, type RateLimitDecision, TokenBucket } from './token-bucket.js';

/**
 * One token bucket per channel, in this process's memory: with N instances behind a load
 * balancer a channel can get up to N times its limit. That is the accepted trade-off of this
 * first version (no shared store on the request path); a PostgreSQL- or Redis-backed bucket can
 * replace this class without touching the guard. Buckets are kept for the life of the process:
 * one small object per channel that has called, and channels number in the tens or hundreds.
 */
export class ChannelRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: Clock = Date.now) {}

  take(channelId: string, limitPerMinute: number): RateLimitDecision {
    let bucket = this.buckets.get(channelId);
    // A changed limit (channel updated, new default) starts a fresh bucket at the new size.
    if (!bucket || bucket.limitPerMinute !== limitPerMinute) {
      bucket = new TokenBucket(limitPerMinute, this.clock);
      this.buckets.set(channelId, bucket);
    }
    return bucket.take();
  }
}
