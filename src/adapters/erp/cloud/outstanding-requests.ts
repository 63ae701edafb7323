/**
 * Caps the requests one sync read has outstanding at the request gate (queued or running).
 *
 * Not a rate limit: the gate (token bucket, adaptive rate, in-flight cap) alone decides when a
 * request starts. This only bounds how far a reader runs ahead (pages read ahead, look-ups
 * overlapping), so the gate always has a sync request ready when a slot frees, while other ERP
 * calls (order posting) never queue behind a whole sync's look-ups. Tasks start in FIFO order.
 */
export class OutstandingRequests {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!(Number.isInteger(max) && max >= 1)) {
      throw new RangeError('max outstanding requests must be an integer of at least 1');
    }
  }

  get outstanding(): number {
    return this.running;
  }

  /** Runs `task` once fewer than `max` tasks run; its promise settles as the task's does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next task: `running` stays as it is.
      if (next) next();
      else this.running -= 1;
    }
  }
}
