import {
  type Contract,
  PriceDataFeed,
  type PriceDataKind,
  type PriceDataRecords,
  type PriceList,
  type PriceListEntry,
  type Promotion,
} from '../../../src/modules/pricing/index.js';
import {
  type DeltaEntry,
  type DeltaFeedHealth,
  type DeltaPage,
  type DeltaReadRequest,
} from '../../../src/platform/delta-sync/index.js';

interface Position {
  m: number;
  s: string;
}

export interface PriceFeedRead {
  kind: PriceDataKind;
  request: DeltaReadRequest;
  returned: number;
}

/**
 * A PriceDataFeed over in-memory maps that behaves as the port demands of a real adapter:
 * changes (and deletions) after `since` in (modifiedAt, sourceId) order, keyset paging evaluated
 * against the data as it is at each call (like SQL), so tests can change records between pages.
 */
export class InMemoryPriceDataFeed extends PriceDataFeed {
  readonly reads: PriceFeedRead[] = [];
  health: DeltaFeedHealth = { up: true };
  private readonly rows: Record<PriceDataKind, Map<string, DeltaEntry<unknown>>> = {
    priceLists: new Map(),
    priceListEntries: new Map(),
    contracts: new Map(),
    promotions: new Map(),
  };
  private clock = Date.parse('2026-05-01T00:00:00.000Z');

  constructor(readonly name = 'in-memory-prices') {
    super();
  }

  /** The next modification time: every put and delete is later than the one before. */
  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** Adds or replaces a record, as an ERP edit would. */
  put<K extends PriceDataKind>(kind: K, sourceId: string, record: PriceDataRecords[K]): this {
    this.rows[kind].set(sourceId, { sourceId, modifiedAt: this.tick(), record });
    return this;
  }

  /** A delete the ERP reports (a journalled delete). */
  delete(kind: PriceDataKind, sourceId: string): this {
    this.rows[kind].set(sourceId, { sourceId, modifiedAt: this.tick(), deleted: true });
    return this;
  }

  /** A record that silently disappears (an ERP that cannot report deletes). */
  forget(kind: PriceDataKind, sourceId: string): this {
    this.rows[kind].delete(sourceId);
    return this;
  }

  /** Anything at all: a record that breaks the canonical types at run time. */
  putRaw(kind: PriceDataKind, sourceId: string, record: unknown): this {
    this.rows[kind].set(sourceId, { sourceId, modifiedAt: this.tick(), record });
    return this;
  }

  putUnmappable(kind: PriceDataKind, sourceId: string, reason: string, payload: unknown): this {
    this.rows[kind].set(sourceId, {
      sourceId,
      modifiedAt: this.tick(),
      invalid: { reason, payload },
    });
    return this;
  }

  reset(): void {
    for (const rows of Object.values(this.rows)) rows.clear();
    this.reads.length = 0;
    this.health = { up: true };
  }

  readPriceLists(request: DeltaReadRequest): Promise<DeltaPage<PriceList>> {
    return this.read('priceLists', request) as Promise<DeltaPage<PriceList>>;
  }

  readPriceListEntries(request: DeltaReadRequest): Promise<DeltaPage<PriceListEntry>> {
    return this.read('priceListEntries', request) as Promise<DeltaPage<PriceListEntry>>;
  }

  readContracts(request: DeltaReadRequest): Promise<DeltaPage<Contract>> {
    return this.read('contracts', request) as Promise<DeltaPage<Contract>>;
  }

  readPromotions(request: DeltaReadRequest): Promise<DeltaPage<Promotion>> {
    return this.read('promotions', request) as Promise<DeltaPage<Promotion>>;
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return Promise.resolve(this.health);
  }

  private read(kind: PriceDataKind, request: DeltaReadRequest): Promise<DeltaPage<unknown>> {
    const matching = [...this.rows[kind].values()]
      .map((entry) => ({ entry, m: Date.parse(entry.modifiedAt ?? ''), s: entry.sourceId }))
      .filter((row) => !request.since || after(row, position(request.since)))
      .sort(compare);
    const from = request.cursor ? decode(request.cursor) : null;
    const remaining = from ? matching.filter((row) => after(row, from)) : matching;
    const page = remaining.slice(0, request.pageSize);
    const last = page[page.length - 1];
    this.reads.push({ kind, request, returned: page.length });
    return Promise.resolve({
      records: page.map((row) => structuredClone(row.entry)),
      nextCursor: remaining.length > page.length && last ? encode(last) : null,
      totalEstimate: matching.length,
    });
  }
}

const position = (w: { modifiedAt: string; sourceId: string }): Position => ({
  m: Date.parse(w.modifiedAt),
  s: w.sourceId,
});

const compare = (a: Position, b: Position): number =>
  a.m - b.m || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0);

const after = (row: Position, from: Position): boolean => compare(row, from) > 0;

const encode = (p: Position): string =>
  Buffer.from(JSON.stringify({ m: p.m, s: p.s })).toString('base64url');

const decode = (value: string): Position =>
  JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Position;
