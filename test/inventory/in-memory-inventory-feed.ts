import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../src/platform/delta-sync/index.js';
import { type InventoryBalance, InventoryFeed } from '../../src/modules/inventory/index.js';

interface Row {
  sourceId: string;
  modifiedAt: string;
  record: InventoryBalance;
}

interface Position {
  m: number;
  s: string;
}

/**
 * An InventoryFeed over an in-memory table that behaves as the port demands of a real adapter:
 * balances changed after `since` in (modifiedAt, sourceId) order, keyset-paged.
 */
export class InMemoryInventoryFeed extends InventoryFeed {
  health: DeltaFeedHealth = { up: true };
  private readonly rows = new Map<string, Row>();

  constructor(readonly name = 'in-memory-erp') {
    super();
  }

  /** Adds or replaces a balance (as the ERP would after a stock movement). */
  put(balance: InventoryBalance, modifiedAt = new Date().toISOString()): this {
    const sourceId = `${balance.sku}|${balance.warehouse}|${balance.lot ?? ''}`;
    this.rows.set(sourceId, { sourceId, modifiedAt, record: { ...balance } });
    return this;
  }

  reset(): void {
    this.rows.clear();
  }

  readBalances(request: DeltaReadRequest): Promise<DeltaPage<InventoryBalance>> {
    const key = (r: Row): Position => ({ m: Date.parse(r.modifiedAt), s: r.sourceId });
    const since = request.since
      ? { m: Date.parse(request.since.modifiedAt), s: request.since.sourceId }
      : null;
    const from = request.cursor
      ? (JSON.parse(Buffer.from(request.cursor, 'base64url').toString('utf8')) as Position)
      : null;
    const matching = [...this.rows.values()]
      .filter((r) => !since || compare(key(r), since) > 0)
      .sort((a, b) => compare(key(a), key(b)));
    const remaining = from ? matching.filter((r) => compare(key(r), from) > 0) : matching;
    const page = remaining.slice(0, request.pageSize);
    const last = page[page.length - 1];
    return Promise.resolve({
      records: page.map((r) => structuredClone(r)),
      nextCursor:
        remaining.length > page.length && last
          ? Buffer.from(JSON.stringify(key(last))).toString('base64url')
          : null,
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return Promise.resolve(this.health);
  }
}

function compare(a: Position, b: Position): number {
  return a.m - b.m || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0);
}
