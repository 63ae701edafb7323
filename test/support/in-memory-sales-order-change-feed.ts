import { type DynamicModule, Module } from '@nestjs/common';
import { type ErpOrderSnapshot, SalesOrderChangeFeed } from '../../src/modules/orders/index.js';
import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../src/platform/delta-sync/index.js';

interface Cursor {
  m: number;
  s: string;
}

/**
 * A SalesOrderChangeFeed over an in-memory map of ERP orders, as the port demands of an adapter:
 * snapshots after `since` in (modifiedAt, sourceId) order, keyset paged; `lookUp` answers
 * NOT_FOUND for an order the "ERP" deleted (as Business Central deletes cancelled orders).
 * References it never held are left out of a look-up answer: the ERP of a test holds the orders
 * the test put there, and the hub's other orders (other suites share the database) are not its
 * business.
 */
export class InMemorySalesOrderChangeFeed extends SalesOrderChangeFeed {
  readonly lookUps: string[][] = [];
  private readonly orders = new Map<string, ErpOrderSnapshot>();
  private readonly deleted = new Set<string>();
  private clock = Date.parse('2026-01-01T00:00:00.000Z');

  constructor(readonly name = 'in-memory-orders') {
    super();
  }

  /** The ERP order as it is now; modifiedAt defaults to a clock that only moves forward. */
  put(snapshot: Omit<ErpOrderSnapshot, 'modifiedAt'> & { modifiedAt?: string }): ErpOrderSnapshot {
    this.clock = Math.max(this.clock + 1000, Date.now());
    const stored = {
      ...snapshot,
      modifiedAt: snapshot.modifiedAt ?? new Date(this.clock).toISOString(),
    };
    this.orders.set(snapshot.externalReference, stored);
    this.deleted.delete(snapshot.externalReference);
    return stored;
  }

  /** Deletes the ERP order: the delta never shows it again, a look-up answers NOT_FOUND. */
  delete(externalReference: string): void {
    this.orders.delete(externalReference);
    this.deleted.add(externalReference);
  }

  readChanges(request: DeltaReadRequest): Promise<DeltaPage<ErpOrderSnapshot>> {
    const sourceId = (o: ErpOrderSnapshot) => o.erpOrderNumber ?? o.externalReference;
    const key = (o: ErpOrderSnapshot): Cursor => ({ m: Date.parse(o.modifiedAt), s: sourceId(o) });
    const after = (a: Cursor, b: Cursor) => a.m > b.m || (a.m === b.m && a.s > b.s);
    const since = request.since
      ? { m: Date.parse(request.since.modifiedAt), s: request.since.sourceId }
      : null;
    const cursor = request.cursor ? (JSON.parse(request.cursor) as Cursor) : null;
    const all = [...this.orders.values()]
      .filter((o) => {
        const k = key(o);
        if (since && !(after(k, since) || (since.s === '' && k.m === since.m))) return false;
        return !cursor || after(k, cursor);
      })
      .sort((a, b) => {
        const x = key(a);
        const y = key(b);
        return x.m - y.m || (x.s < y.s ? -1 : x.s > y.s ? 1 : 0);
      });
    const page = all.slice(0, request.pageSize);
    const last = page[page.length - 1];
    return Promise.resolve({
      records: page.map((o) => ({ sourceId: sourceId(o), modifiedAt: o.modifiedAt, record: o })),
      nextCursor: all.length > page.length && last ? JSON.stringify(key(last)) : null,
    });
  }

  lookUp(externalReferences: readonly string[]): Promise<ErpOrderSnapshot[]> {
    if (externalReferences.length > 50) throw new Error('lookUp takes at most 50 references');
    this.lookUps.push([...externalReferences]);
    const answers: ErpOrderSnapshot[] = [];
    for (const ref of externalReferences) {
      const order = this.orders.get(ref);
      if (order) answers.push(order);
      else if (this.deleted.has(ref)) {
        answers.push({
          externalReference: ref,
          erpOrderNumber: null,
          state: 'NOT_FOUND',
          lines: [],
          modifiedAt: new Date().toISOString(),
          changedBy: null,
        });
      }
    }
    return Promise.resolve(answers);
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return Promise.resolve({ up: true });
  }
}

@Module({})
class InMemoryOrderChangesModule {}

/** Binds `feed` as the app's SalesOrderChangeFeed (global, like ErpAdapterModule's bindings). */
export function orderChangeFeedModule(feed: InMemorySalesOrderChangeFeed): DynamicModule {
  return {
    module: InMemoryOrderChangesModule,
    global: true,
    providers: [{ provide: SalesOrderChangeFeed, useValue: feed }],
    exports: [SalesOrderChangeFeed],
  };
}
