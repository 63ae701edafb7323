/** Last-modified stamps and row versions for every table of one sandbox. */
export class SandboxClock {
  private lastStamp = 0;
  private version = 0;

  constructor(private readonly now: () => number) {}

  /**
   * A last-modified instant for a change happening now: strictly increasing, so two changes in
   * the same millisecond still order (BC itself does not promise that; the sandbox errs on the
   * side of deterministic tests).
   */
  /** Today's date (UTC) by the sandbox's clock. */
  today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }

  stamp(): number {
    this.lastStamp = Math.max(this.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  nextVersion(): number {
    return ++this.version;
  }
}

export interface TableRow<T> {
  id: string;
  data: T;
  /** lastModifiedDateTime, epoch ms. */
  modifiedMs: number;
  /** Row version (like SQL rowversion): changes on every write; feeds the ETag. */
  version: number;
}

/**
 * In-memory rows by id, plus a cached order by (lastModifiedDateTime, id): the sandbox's
 * default sort and the key of its skip tokens, so delta reads and paging cost a binary search.
 */
export class EntityTable<T> {
  private readonly rows = new Map<string, TableRow<T>>();
  private sortedCache: TableRow<T>[] | null = null;
  /** Told of every write after the seed (webhook subscriptions, ./subscriptions.ts). */
  onWrite?: (row: TableRow<T>, kind: 'created' | 'updated' | 'deleted') => void;

  constructor(
    readonly name: string,
    private readonly clock: SandboxClock,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  /** Adds a row; `modifiedMs` defaults to now (a new record). */
  insert(id: string, data: T, modifiedMs?: number): TableRow<T> {
    const row: TableRow<T> = {
      id: id.toLowerCase(),
      data,
      modifiedMs: modifiedMs ?? this.clock.stamp(),
      version: this.clock.nextVersion(),
    };
    this.rows.set(row.id, row);
    this.sortedCache = null;
    this.onWrite?.(row, 'created');
    return row;
  }

  get(id: string): TableRow<T> | undefined {
    return this.rows.get(id.toLowerCase());
  }

  /** Applies a change and stamps the row as modified now. */
  update(id: string, change: (data: T) => void): TableRow<T> {
    const row = this.rows.get(id.toLowerCase());
    if (!row) throw new Error(`${this.name}: no row ${id}`);
    change(row.data);
    row.modifiedMs = this.clock.stamp();
    row.version = this.clock.nextVersion();
    this.sortedCache = null;
    this.onWrite?.(row, 'updated');
    return row;
  }

  delete(id: string): boolean {
    this.sortedCache = null;
    const row = this.rows.get(id.toLowerCase());
    if (row) this.onWrite?.({ ...row, modifiedMs: this.clock.stamp() }, 'deleted');
    return this.rows.delete(id.toLowerCase());
  }

  find(predicate: (data: T) => boolean): TableRow<T> | undefined {
    for (const row of this.rows.values()) if (predicate(row.data)) return row;
    return undefined;
  }

  /** Rows ordered by (modifiedMs, id). */
  sorted(): TableRow<T>[] {
    if (!this.sortedCache) {
      this.sortedCache = [...this.rows.values()].sort(compareRows);
    }
    return this.sortedCache;
  }
}

export function compareRows(
  a: { modifiedMs: number; id: string },
  b: { modifiedMs: number; id: string },
): number {
  return a.modifiedMs - b.modifiedMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Index of the first row strictly after (modifiedMs, id) — or at/after it when inclusive. */
export function lowerBound<T>(
  rows: TableRow<T>[],
  key: { modifiedMs: number; id: string },
  inclusive: boolean,
): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareRows(rows[mid], key);
    if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
