import { ChannelRateLimiter } from './channel-rate-limiter.js';
import { TokenBucket } from './token-bucket.js';

/** A clock the test moves by hand: no sleeping, no timers. */
function fakeClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

describe(TokenBucket.name, () => {
  it('allows a burst of the whole per-minute limit, then refuses', () => {
    const clock = fakeClock();
    const sut = new TokenBucket(3, clock.now);

    expect([sut.take(), sut.take(), sut.take()].map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    expect(sut.take()).toMatchObject({ allowed: false, remaining: 0, limitPerMinute: 3 });
  });

  it('says how many whole seconds to wait until the next token', () => {
    const clock = fakeClock();
    const sut = new TokenBucket(3, clock.now);
    for (let i = 0; i < 3; i++) sut.take();

    // 3 per minute: one token every 20 s.
    expect(sut.take().retryAfterSeconds).toBe(20);
    clock.advance(19_001);
    expect(sut.take().retryAfterSeconds).toBe(1);
  });

  it('never asks to wait less than one second', () => {
    const clock = fakeClock();
    const sut = new TokenBucket(6_000, clock.now);
    for (let i = 0; i < 6_000; i++) sut.take();

    // 6000 per minute: a token every 10 ms, still answered as Retry-After: 1.
    expect(sut.take()).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills continuously at the per-minute rate', () => {
    const clock = fakeClock();
    const sut = new TokenBucket(60, clock.now);
    for (let i = 0; i < 60; i++) sut.take();
    expect(sut.take().allowed).toBe(false);

    clock.advance(999);
    expect(sut.take().allowed).toBe(false);
    clock.advance(1);
    expect(sut.take()).toMatchObject({ allowed: true, remaining: 0 });
    clock.advance(5_000);
    expect(sut.take()).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('never holds more than one minute of tokens, however long it idles', () => {
    const clock = fakeClock();
    const sut = new TokenBucket(2, clock.now);
    sut.take();
    clock.advance(24 * 3_600_000);

    expect(sut.take()).toMatchObject({ allowed: true, remaining: 1 });
    expect(sut.take()).toMatchObject({ allowed: true, remaining: 0 });
    expect(sut.take().allowed).toBe(false);
  });

  it('refills nothing when the clock steps backwards', () => {
    const clock = fakeClock();
    const sut = new TokenBucket(1, clock.now);
    sut.take();
    clock.advance(-30_000);

    expect(sut.take().allowed).toBe(false);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new TokenBucket(0, Date.now)).toThrow(RangeError);
    expect(() => new TokenBucket(1.5, Date.now)).toThrow(RangeError);
  });
});

describe(ChannelRateLimiter.name, () => {
  it('keeps one bucket per channel', () => {
    const clock = fakeClock();
    const sut = new ChannelRateLimiter(clock.now);
    sut.take('a', 1);

    expect(sut.take('a', 1).allowed).toBe(false);
    expect(sut.take('b', 1).allowed).toBe(true);
  });

  it('starts a fresh bucket when the channel limit changes', () => {
    const clock = fakeClock();
    const sut = new ChannelRateLimiter(clock.now);
    sut.take('a', 1);

    expect(sut.take('a', 5)).toMatchObject({ allowed: true, remaining: 4, limitPerMinute: 5 });
  });
});
