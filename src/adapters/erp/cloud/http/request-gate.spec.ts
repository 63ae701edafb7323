import { jest } from '@jest/globals';
import { RequestGate } from './request-gate.js';

/**
 * On jest's fake clock (Date.now and timers together): every start time is exact, however busy
 * the machine running the test is.
 */
describe(RequestGate.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** Acquires one slot per entry, records its start (ms after t0) and releases at once. */
  function startAll(sut: RequestGate, count: number, t0 = Date.now()): Promise<number[]> {
    const starts: number[] = [];
    return Promise.all(
      Array.from({ length: count }, async () => {
        const release = await sut.acquire();
        starts.push(Date.now() - t0);
        release();
      }),
    ).then(() => starts);
  }

  it('holds the long-run rate exactly, starting at most `burst` requests back to back', async () => {
    const sut = new RequestGate({ ratePerMs: 100 / 1000, burst: 3, maxConcurrent: 10 });
    const done = startAll(sut, 23);
    await jest.advanceTimersByTimeAsync(1_000);
    const starts = await done;
    // 3 at once (the full bucket), then one every 10 ms (100/s): the 23rd at 200 ms.
    expect(starts.slice(0, 3)).toEqual([0, 0, 0]);
    expect(starts.slice(3)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 10));
  });

  it('keeps the long-run rate when timers fire late: tokens accrue with the clock', async () => {
    // The gate's clock runs `lag` ms ahead of its timers: a stalled event loop fires them late.
    let lag = 0;
    const sut = new RequestGate({
      ratePerMs: 100 / 1000,
      burst: 3,
      maxConcurrent: 10,
      now: () => Date.now() + lag,
    });
    const t0 = Date.now();
    const starts: number[] = [];
    const done = Promise.all(
      Array.from({ length: 23 }, async () => {
        const release = await sut.acquire();
        starts.push(Date.now() + lag - t0);
        release();
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    lag = 20; // the timer due at 10 ms fires at 30 ms
    await jest.advanceTimersByTimeAsync(1_000);
    await done;
    // The three tokens accrued by 30 ms go at once; the rest keep the 10 ms spacing, and the
    // 23rd start is still at 200 ms: late timers cost no rate.
    expect(starts.slice(0, 6)).toEqual([0, 0, 0, 30, 30, 30]);
    expect(starts.slice(6)).toEqual(Array.from({ length: 17 }, (_, i) => 40 + i * 10));
  });

  it('never lets more than maxConcurrent hold a slot', async () => {
    const sut = new RequestGate({ ratePerMs: 1, burst: 100, maxConcurrent: 2 });
    let inFlight = 0;
    let peak = 0;
    const all = Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await sut.acquire();
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
        release();
      }),
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await all;
    expect(peak).toBe(2);
    expect(sut.inFlight).toBe(0);
  });

  it('starts nothing while paused, then resumes', async () => {
    const sut = new RequestGate({ ratePerMs: 1, burst: 10, maxConcurrent: 5 });
    const t0 = Date.now();
    sut.pauseUntil(t0 + 150);
    let startedAt: number | undefined;
    const started = sut.acquire().then((release) => {
      startedAt = Date.now() - t0;
      release();
    });
    await jest.advanceTimersByTimeAsync(149);
    expect(startedAt).toBeUndefined();
    await jest.advanceTimersByTimeAsync(100);
    await started;
    // The pause ends on an empty bucket: the first start waits for one token (1 ms at 1/ms).
    expect(startedAt).toBe(151);
  });

  it('resumes after a pause at the sustained rate, without the burst saved up before it', async () => {
    // 20 starts/s, burst 5: a full bucket would let 5 go at once when the pause ends.
    const sut = new RequestGate({ ratePerMs: 20 / 1000, burst: 5, maxConcurrent: 10 });
    const t0 = Date.now();
    sut.pauseUntil(t0 + 100);
    const done = startAll(sut, 4, t0);
    await jest.advanceTimersByTimeAsync(1_000);
    // Pause (100 ms) on an empty bucket, then one token per 50 ms.
    expect(await done).toEqual([150, 200, 250, 300]);
  });

  it('lets a high-priority request jump the queue', async () => {
    const sut = new RequestGate({ ratePerMs: 1, burst: 1, maxConcurrent: 1 });
    const first = await sut.acquire();
    const order: string[] = [];
    const normal = sut.acquire('normal').then((r) => (order.push('normal'), r()));
    const high = sut.acquire('high').then((r) => (order.push('high'), r()));
    first();
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all([normal, high]);
    expect(order).toEqual(['high', 'normal']);
  });

  it('drops a queued request whose signal aborts', async () => {
    const sut = new RequestGate({ ratePerMs: 1, burst: 1, maxConcurrent: 1 });
    const held = await sut.acquire();
    const controller = new AbortController();
    const waiting = sut.acquire('normal', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(sut.queued).toBe(0);
    held();
  });
  describe('adaptive rate (AIMD)', () => {
    it('slows down on a 429 without Retry-After: 0.8 × the rate, restarting after one interval', async () => {
      const sut = new RequestGate({ ratePerMs: 100 / 1000, burst: 1, maxConcurrent: 10 });
      const t0 = Date.now();
      sut.throttled();
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(80, 6);
      const done = startAll(sut, 3, t0);
      await jest.advanceTimersByTimeAsync(1_000);
      // Paused one interval at 80/s (13 ms), then an empty bucket refilled at 80/s.
      const starts = await done;
      expect(starts[0]).toBeGreaterThanOrEqual(13);
      expect(starts[2] - starts[1]).toBe(Math.ceil(1000 / 80));
    });

    it('decreases again only for a 429 to a request sent after the last decrease', () => {
      const sut = new RequestGate({ ratePerMs: 100 / 1000, burst: 1, maxConcurrent: 10 });
      const sent = Date.now();
      jest.setSystemTime(sent + 50);
      sut.throttled(undefined, sent);
      sut.throttled(undefined, sent);
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(80, 6);
      jest.setSystemTime(sent + 100);
      sut.throttled(undefined, sent + 60);
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(64, 6);
    });

    it('decreases once for 429s that answer requests sent before the first one', () => {
      const sut = new RequestGate({ ratePerMs: 100 / 1000, burst: 1, maxConcurrent: 10 });
      sut.throttled();
      sut.throttled();
      sut.throttled();
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(80, 6);
      jest.setSystemTime(Date.now() + 1_000);
      sut.throttled();
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(64, 6);
    });

    it('grows back by small steps after a quiet period, never above the configured rate', () => {
      const sut = new RequestGate({ ratePerMs: 100 / 1000, burst: 1, maxConcurrent: 10 });
      sut.throttled();
      jest.setSystemTime(Date.now() + 1_999);
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(80, 6);
      jest.setSystemTime(Date.now() + 1 + 3_000);
      // Quiet for 2 s, then +1 % of the configured rate per second: 3 steps.
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(83, 6);
      jest.setSystemTime(Date.now() + 60_000);
      expect(sut.currentRatePerMs * 1000).toBeCloseTo(100, 6);
    });

    it('honours Retry-After when the ERP sends it', async () => {
      const sut = new RequestGate({ ratePerMs: 1, burst: 10, maxConcurrent: 5 });
      const t0 = Date.now();
      sut.throttled(2_000);
      const done = startAll(sut, 1, t0);
      await jest.advanceTimersByTimeAsync(5_000);
      expect((await done)[0]).toBeGreaterThanOrEqual(2_000);
    });

    it('settles near what a tenant admits when it limits harder than configured, with few 429s', async () => {
      // Configured for 20 requests/s; the tenant admits 5 per sliding second, no Retry-After.
      const sut = new RequestGate({ ratePerMs: 20 / 1000, burst: 2, maxConcurrent: 5 });
      const admitted: number[] = [];
      let throttled = 0;
      const t0 = Date.now();
      const end = t0 + 300_000;
      const worker = async (): Promise<void> => {
        while (Date.now() < end) {
          const release = await sut.acquire();
          const sentAt = Date.now();
          while (admitted.length > 0 && admitted[0] <= sentAt - 1_000) admitted.shift();
          const refused = admitted.length >= 5;
          if (!refused) admitted.push(sentAt);
          // The answer takes 50 ms: other requests go out meanwhile at the old rate.
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (refused) {
            throttled++;
            sut.throttled(undefined, sentAt);
          } else {
            ok++;
          }
          release();
        }
      };
      let ok = 0;
      const workers = Promise.all(Array.from({ length: 5 }, worker));
      let finished = false;
      const all = workers.then(() => (finished = true));
      while (!finished) await jest.advanceTimersByTimeAsync(1_000);
      await all;
      const sent = ok + throttled;
      // ≥ 80 % of what the tenant admits, < 5 % of the requests answered 429.
      expect(ok / 300).toBeGreaterThanOrEqual(0.8 * 5);
      expect(throttled / sent).toBeLessThan(0.05);
    });
  });
});
