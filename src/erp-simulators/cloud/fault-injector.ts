import { SeededRandom } from '../demo-data/index.js';

/** What can go wrong, and how often; every rate is a probability in [0, 1]. */
export interface FaultSettings {
  /** Added to every API request: fixed, or uniformly drawn from [min, max] ms. */
  latencyMs?: number | [number, number] | null;
  /** Share of API requests answered 503 / 500 / 504 (6:3:1) without being processed. */
  errorRate5xx?: number;
  /** Share of API requests accepted and never answered: the socket closes after timeoutHoldMs. */
  timeoutRate?: number;
  /**
   * Share of API requests answered 429 with Retry-After (1 s) without being processed: the ERP
   * throttling us because of other clients on the tenant, whatever our own request rate.
   */
  throttleRate?: number;
  /** How long a "timed out" request is held before its socket is destroyed (default 30 s). */
  timeoutHoldMs?: number;
  /** Share of writes (POST/PATCH/DELETE) applied, then dropped: the socket closes, no response. */
  commitThenDropRate?: number;
}

export type FaultOutcome = 'none' | 'error5xx' | 'timeout' | 'throttle' | 'commitThenDrop';

export const NO_FAULTS: Required<FaultSettings> = {
  latencyMs: null,
  errorRate5xx: 0,
  timeoutRate: 0,
  throttleRate: 0,
  timeoutHoldMs: 30_000,
  commitThenDropRate: 0,
};

/**
 * Decides each request's fate from a seeded PRNG: the same sequence of requests meets the same
 * sequence of faults, so tests that assert "about 30 % failed" are deterministic.
 */
export class FaultInjector {
  private settings: Required<FaultSettings>;
  private rng: SeededRandom;

  constructor(
    private readonly initial: FaultSettings,
    private readonly seed: number,
  ) {
    this.settings = validateFaults({ ...NO_FAULTS, ...initial });
    this.rng = new SeededRandom(seed);
  }

  current(): Required<FaultSettings> {
    return { ...this.settings };
  }

  /** Merges new settings over the current ones. */
  set(change: FaultSettings): Required<FaultSettings> {
    this.settings = validateFaults({ ...this.settings, ...change });
    return this.current();
  }

  /** Back to no faults (not to the start-up settings), and the PRNG back to its seed. */
  reset(): Required<FaultSettings> {
    this.settings = { ...NO_FAULTS };
    this.rng = new SeededRandom(this.seed);
    return this.current();
  }

  latency(): number {
    const l = this.settings.latencyMs;
    if (l === null || l === undefined) return 0;
    if (typeof l === 'number') return l;
    return this.rng.int(l[0], l[1]);
  }

  decide(isWrite: boolean): FaultOutcome {
    const s = this.settings;
    const r = this.rng.next();
    if (r < s.errorRate5xx) return 'error5xx';
    if (r < s.errorRate5xx + s.timeoutRate) return 'timeout';
    const refused = s.errorRate5xx + s.timeoutRate + s.throttleRate;
    if (r < refused) return 'throttle';
    if (isWrite && r < refused + s.commitThenDropRate) return 'commitThenDrop';
    return 'none';
  }

  /** 503 mostly (throttled backend), some 500, a few 504. */
  errorStatus(): 500 | 503 | 504 {
    return this.rng.weighted<500 | 503 | 504>([
      [503, 6],
      [500, 3],
      [504, 1],
    ]);
  }

  get initialSettings(): FaultSettings {
    return this.initial;
  }
}

export function validateFaults(s: Required<FaultSettings>): Required<FaultSettings> {
  const rate = (name: keyof FaultSettings): void => {
    const v = s[name];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new RangeError(`${name} must be a number in [0, 1]`);
  };
  rate('errorRate5xx');
  rate('timeoutRate');
  rate('throttleRate');
  rate('commitThenDropRate');
  if (s.errorRate5xx + s.timeoutRate + s.throttleRate > 1)
    throw new RangeError('errorRate5xx + timeoutRate + throttleRate must not exceed 1');
  const l = s.latencyMs;
  if (l !== null) {
    const ok =
      (typeof l === 'number' && l >= 0) ||
      (Array.isArray(l) &&
        l.length === 2 &&
        l.every((x) => typeof x === 'number' && x >= 0) &&
        l[0] <= l[1]);
    if (!ok) throw new RangeError('latencyMs must be a number >= 0 or [min, max]');
  }
  if (typeof s.timeoutHoldMs !== 'number' || s.timeoutHoldMs < 0) {
    throw new RangeError('timeoutHoldMs must be a number >= 0');
  }
  return s;
}
