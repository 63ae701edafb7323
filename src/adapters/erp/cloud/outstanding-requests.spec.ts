import { OutstandingRequests } from './outstanding-requests.js';

/** A task the test finishes by hand: no timers, no clock. */
function deferred(): { promise: Promise<string>; resolve: (v: string) => void; fail: () => void } {
  let resolve!: (v: string) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, fail: () => reject(new Error('failed')) };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(OutstandingRequests.name, () => {
  it('runs at most `max` tasks at once and starts the waiting ones in order as slots free', async () => {
    const sut = new OutstandingRequests(2);
    const tasks = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const results = tasks.map((task, i) =>
      sut.run(() => {
        started.push(i);
        return task.promise;
      }),
    );
    // Asserted at the end; handled now so the failure below is not reported as unhandled.
    results[0].catch(() => undefined);
    await settle();
    expect(started).toEqual([0, 1]);
    expect(sut.outstanding).toBe(2);

    tasks[1].resolve('b');
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(sut.outstanding).toBe(2);

    tasks[0].fail();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);

    tasks[2].resolve('c');
    tasks[3].resolve('d');
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    tasks[4].resolve('e');
    await expect(results[0]).rejects.toThrow('failed');
    await expect(Promise.all(results.slice(1))).resolves.toEqual(['b', 'c', 'd', 'e']);
    expect(sut.outstanding).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new OutstandingRequests(0)).toThrow(RangeError);
    expect(() => new OutstandingRequests(1.5)).toThrow(RangeError);
  });
});
