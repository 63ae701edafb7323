import {
  type Customer,
  type Item,
  MasterDataFeed,
  type MasterDataKind,
  type MasterDataRecords,
  type Warehouse,
} from '../../src/modules/master-data/index.js';
import {
  type DeltaEntry,
  type DeltaFeedHealth,
  type DeltaPage,
  type DeltaReadRequest,
} from '../../src/platform/delta-sync/index.js';

/** What the feed holds for one source row: a mapped record, or a row the "adapter" cannot map. */
type StoredEntry = DeltaEntry<unknown>;

export interface FeedRead {
  kind: MasterDataKind;
  request: DeltaReadRequest;
  returned: number;
}

/** Called before a page is served: the place to change the "ERP" while a sync is paging. */
export type BeforePageHook = (
  kind: MasterDataKind,
  request: DeltaReadRequest,
) => Promise<void> | void;

interface Cursor {
  m: number;
  s: string;
}

/**
 * A MasterDataFeed over in-memory arrays that behaves as the port demands of a real adapter:
 * changes after `since` in (modifiedAt, sourceId) order, keyset paging evaluated against the data
 * as it is at each call (like SQL), so tests can change records between pages.
 */
export class InMemoryMasterDataFeed extends MasterDataFeed {
  readonly reads: FeedRead[] = [];
  beforePage?: BeforePageHook;
  health: DeltaFeedHealth = { up: true };
  private readonly rows: Record<MasterDataKind, Map<string, StoredEntry>> = {
    customers: new Map(),
    items: new Map(),
    warehouses: new Map(),
  };
  private gate?: { promise: Promise<void>; open: () => void };
  private failures: Partial<Record<MasterDataKind, Error>> = {};

  constructor(readonly name = 'in-memory') {
    super();
  }

  /** Adds or replaces a record (as the ERP would after an edit). */
  put<K extends MasterDataKind>(
    kind: K,
    sourceId: string,
    modifiedAt: string,
    record: MasterDataRecords[K],
  ): this {
    this.rows[kind].set(sourceId, { sourceId, modifiedAt, record });
    return this;
  }

  /** A source row the adapter cannot map. */
  putUnmappable(
    kind: MasterDataKind,
    sourceId: string,
    modifiedAt: string,
    reason: string,
    payload: unknown,
  ): this {
    this.rows[kind].set(sourceId, { sourceId, modifiedAt, invalid: { reason, payload } });
    return this;
  }

  /** Anything at all, e.g. a record that breaks the canonical types at run time. */
  putRaw(kind: MasterDataKind, sourceId: string, modifiedAt: string, record: unknown): this {
    this.rows[kind].set(sourceId, { sourceId, modifiedAt, record });
    return this;
  }

  /** The first mapped record of a kind that matches. */
  find(
    kind: MasterDataKind,
    match: (record: unknown) => boolean,
  ): { sourceId: string; record: unknown } | undefined {
    for (const entry of this.rows[kind].values()) {
      if ('record' in entry && match(entry.record)) return entry;
    }
    return undefined;
  }

  get(kind: MasterDataKind, sourceId: string): StoredEntry | undefined {
    return this.rows[kind].get(sourceId);
  }

  /** Back to an empty ERP: no rows, no hooks, no pending failure, not paused, no reads logged. */
  reset(): void {
    for (const rows of Object.values(this.rows)) rows.clear();
    this.reads.length = 0;
    this.beforePage = undefined;
    this.failures = {};
    this.health = { up: true };
    this.resume();
  }

  /** Holds every read until `resume()`: a sync that is "running" for as long as a test needs. */
  pause(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  resume(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  /** The next read of `kind` throws (an ERP outage). */
  failNextRead(kind: MasterDataKind, error = new Error(`ERP unreachable reading ${kind}`)): void {
    this.failures[kind] = error;
  }

  readCustomers(request: DeltaReadRequest): Promise<DeltaPage<Customer>> {
    return this.read('customers', request) as Promise<DeltaPage<Customer>>;
  }

  readItems(request: DeltaReadRequest): Promise<DeltaPage<Item>> {
    return this.read('items', request) as Promise<DeltaPage<Item>>;
  }

  readWarehouses(request: DeltaReadRequest): Promise<DeltaPage<Warehouse>> {
    return this.read('warehouses', request) as Promise<DeltaPage<Warehouse>>;
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return Promise.resolve(this.health);
  }

  private async read(kind: MasterDataKind, request: DeltaReadRequest): Promise<DeltaPage<unknown>> {
    if (this.gate) await untilAborted(this.gate.promise, request.signal);
    await this.beforePage?.(kind, request);
    const failure = this.failures[kind];
    if (failure) {
      delete this.failures[kind];
      throw failure;
    }
    const matching = [...this.rows[kind].values()]
      .map((entry) => ({ entry, m: Date.parse(entry.modifiedAt ?? ''), s: entry.sourceId }))
      .filter((row) => !request.since || after(row, position(request.since)))
      .sort(compare);
    const from = request.cursor ? decodeCursor(request.cursor) : null;
    const remaining = from ? matching.filter((row) => after(row, from)) : matching;
    const page = remaining.slice(0, request.pageSize);
    const last = page[page.length - 1];
    this.reads.push({ kind, request, returned: page.length });
    return {
      records: page.map((row) => structuredClone(row.entry)),
      nextCursor: remaining.length > page.length && last ? encodeCursor(last) : null,
      totalEstimate: matching.length,
    };
  }
}

/** Waits for `promise`, or rejects as soon as the hub aborts the read (as a real adapter should). */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

const position = (w: { modifiedAt: string; sourceId: string }): Cursor => ({
  m: Date.parse(w.modifiedAt),
  s: w.sourceId,
});

function compare(a: Cursor, b: Cursor): number {
  return a.m - b.m || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0);
}

function after(row: Cursor, from: Cursor): boolean {
  return compare(row, from) > 0;
}

const encodeCursor = (c: Cursor): string =>
  Buffer.from(JSON.stringify({ m: c.m, s: c.s })).toString('base64url');

const decodeCursor = (value: string): Cursor =>
  JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
