/**
 * A small seeded PRNG (mulberry32): the demo dataset and the sandbox's fault injection must be
 * reproducible run after run, so nothing here may touch Math.random.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Fisher-Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** `count` distinct elements (fewer if the list is shorter). */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count >= items.length) return this.shuffle(items);
    const picked = new Set<number>();
    while (picked.size < count) picked.add(Math.floor(this.next() * items.length));
    return [...picked].map((i) => items[i]);
  }

  /** A version-4-shaped GUID, lower case, as Business Central writes them. */
  uuid(): string {
    // Written char by char into one buffer: concatenating pieces makes V8 rope strings, which
    // cost seconds of GC across the half a million ids of a 10x dataset.
    let p = 0;
    for (let word = 0; word < 4; word++) {
      let v = (this.next() * 4294967296) >>> 0;
      if (word === 1) v = ((v & 0xffff0fff) | 0x00004000) >>> 0; // version 4
      if (word === 2) v = ((v & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
      for (let shift = 28; shift >= 0; shift -= 4) {
        if (p === 8 || p === 13 || p === 18 || p === 23) UUID_CHARS[p++] = 45; // '-'
        UUID_CHARS[p++] = HEX_DIGITS[(v >>> shift) & 15];
      }
    }
    return String.fromCharCode.apply(null, UUID_CHARS as unknown as number[]);
  }
}

const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const UUID_CHARS = new Uint8Array(36);
