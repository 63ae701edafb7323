import { AuthFailureLimiter } from './auth-failure-limiter.js';

function fakeClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

describe(AuthFailureLimiter.name, () => {
  it('lets a client fail up to the limit, then refuses it with the seconds to wait', () => {
    const clock = fakeClock();
    const sut = new AuthFailureLimiter(3, clock.now);
    for (let i = 0; i < 3; i++) {
      expect(sut.check('10.0.0.1').allowed).toBe(true);
      sut.recordFailure('10.0.0.1');
    }

    // 3 per minute: one failure back every 20 s.
    expect(sut.check('10.0.0.1')).toMatchObject({ allowed: false, retryAfterSeconds: 20 });
  });

  it('counts each client address on its own', () => {
    const sut = new AuthFailureLimiter(1, fakeClock().now);
    sut.recordFailure('10.0.0.1');

    expect(sut.check('10.0.0.1').allowed).toBe(false);
    expect(sut.check('10.0.0.2').allowed).toBe(true);
  });

  it('lets a refused client in again once its bucket refills', () => {
    const clock = fakeClock();
    const sut = new AuthFailureLimiter(2, clock.now);
    sut.recordFailure('10.0.0.1');
    sut.recordFailure('10.0.0.1');
    expect(sut.check('10.0.0.1').allowed).toBe(false);

    clock.advance(30_000);

    expect(sut.check('10.0.0.1').allowed).toBe(true);
  });

  it('never refuses a client that only succeeds (checking takes nothing)', () => {
    const sut = new AuthFailureLimiter(1, fakeClock().now);
    for (let i = 0; i < 100; i++) expect(sut.check('10.0.0.1').allowed).toBe(true);
  });
});
