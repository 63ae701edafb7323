import { RequestGate } from './request-gate.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe(RequestGate.name, () => {
  it('holds the long-run rate exactly, starting at most `burst` requests back to back', async () => {
    const sut = new RequestGate({ ratePerMs: 100 / 1000, burst: 3, maxConcurrent: 10 });
    const starts: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 23 }, async () => {
        const release = await sut.acquire();
        starts.push(Date.now() - t0);
        release();
      }),
    );
    // 3 at once, then 20 more at 100/s: about 200 ms, never much faster. Measured from the
    // first start, not from t0: a busy CI machine may delay the whole run, not its spacing.
    const first = starts[0];
    expect(starts[2] - first).toBeLessThan(5);
    expect(starts[3] - first).toBeGreaterThanOrEqual(5);
    expect(Math.max(...starts) - first).toBeGreaterThanOrEqual(190);
    expect(Math.max(...starts) - first).toBeLessThan(600);
  });

  it('never lets more than maxConcurrent hold a slot', async () => {
    const sut = new RequestGate({ ratePerMs: 1, burst: 100, maxConcurrent: 2 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await sut.acquire();
        peak = Math.max(peak, ++inFlight);
        await sleep(10);
        inFlight--;
        release();
      }),
    );
    expect(peak).toBe(2);
  });

  it('starts nothing while paused, then resumes', async () => {
    const sut = new RequestGate({ ratePerMs: 1, burst: 10, maxConcurrent: 5 });
    sut.pauseUntil(Date.now() + 150);
    const t0 = Date.now();
    const release = await sut.acquire();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    release();
  });

  it('resumes after a pause at the sustained rate, without the burst saved up before it', async () => {
    // 20 starts/s, burst 5: a full bucket would let 5 go at once when the pause ends.
    const sut = new RequestGate({ ratePerMs: 20 / 1000, burst: 5, maxConcurrent: 10 });
    sut.pauseUntil(Date.now() + 100);
    const t0 = Date.now();
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, () =>
        sut.acquire().then((release) => (starts.push(Date.now() - t0), release())),
      ),
    );
    // Pause (100 ms), then one token per 50 ms: the 4th start no earlier than ~300 ms.
    expect(starts[0]).toBeGreaterThanOrEqual(140);
    expect(starts[3]).toBeGreaterThanOrEqual(280);
  });

  it('lets a high-priority request jump the queue', async () => {
    const sut = new RequestGate({ ratePerMs: 1, burst: 1, maxConcurrent: 1 });
    const first = await sut.acquire();
    const order: string[] = [];
    const normal = sut.acquire('normal').then((r) => (order.push('normal'), r()));
    const high = sut.acquire('high').then((r) => (order.push('high'), r()));
    first();
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
});
