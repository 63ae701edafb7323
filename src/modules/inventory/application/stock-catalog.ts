import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetItemsQuery, GetWarehousesQuery } from '../../master-data/index.js';
import type { EventProblem, StockEvent } from '../domain/stock-event.js';

const ITEM_TTL_MS = 60_000;
const WAREHOUSE_TTL_MS = 60_000;
/** A code missing from the cached warehouses re-reads them, at most this often. */
const WAREHOUSE_MISS_REFRESH_MS = 5_000;
const LOOKUP_CHUNK = 1000;

/**
 * What pushed stock events are checked against: the hub's master data (items with their lot
 * control, warehouses), cached for a minute so a stream of events costs no look-ups. Unknown
 * SKUs are not cached: an item the next master-data sync brings is accepted at once.
 */
@Injectable()
export class StockCatalog {
  private readonly items = new Map<string, { lotControlled: boolean; until: number }>();
  private warehouses: { codes: Set<string>; loadedAt: number } | null = null;

  constructor(private readonly queryBus: QueryBus) {}

  /** Problems of each event that master data refuses (keyed by the event object). */
  async problems(events: readonly StockEvent[]): Promise<Map<StockEvent, EventProblem[]>> {
    const now = Date.now();
    const missing = [...new Set(events.map((e) => e.sku))].filter(
      (sku) => (this.items.get(sku)?.until ?? 0) <= now,
    );
    for (let i = 0; i < missing.length; i += LOOKUP_CHUNK) {
      const found = await this.queryBus.execute(
        new GetItemsQuery(missing.slice(i, i + LOOKUP_CHUNK)),
      );
      for (const item of found) {
        this.items.set(item.sku, { lotControlled: item.lotControlled, until: now + ITEM_TTL_MS });
      }
    }
    const warehouses = await this.warehouseCodes(
      events.map((e) => e.warehouse),
      now,
    );

    const result = new Map<StockEvent, EventProblem[]>();
    for (const event of events) {
      const problems: EventProblem[] = [];
      const item = this.items.get(event.sku);
      if (!item) {
        problems.push({
          code: 'UNKNOWN_SKU',
          field: 'sku',
          message: `no item ${event.sku} is known to the hub (send again after the master-data sync)`,
        });
      } else if (item.lotControlled && event.lot === '') {
        problems.push({
          code: 'LOT_REQUIRED',
          field: 'lot',
          message: `item ${event.sku} is lot-controlled: name the lot`,
        });
      } else if (!item.lotControlled && event.lot !== '') {
        problems.push({
          code: 'LOT_NOT_ALLOWED',
          field: 'lot',
          message: `item ${event.sku} is not lot-controlled: send no lot`,
        });
      }
      if (!warehouses.has(event.warehouse)) {
        problems.push({
          code: 'UNKNOWN_WAREHOUSE',
          field: 'warehouse',
          message: `no warehouse ${event.warehouse} is known to the hub`,
        });
      }
      if (problems.length > 0) result.set(event, problems);
    }
    return result;
  }

  /**
   * Which of a SKU and a warehouse the hub's master data does not know (operations setting a
   * position's figures must name a real one: an unknown code would create a phantom position).
   */
  async unknownCodes(
    sku: string,
    warehouse: string,
  ): Promise<{ skuUnknown: boolean; warehouseUnknown: boolean }> {
    const now = Date.now();
    if ((this.items.get(sku)?.until ?? 0) <= now) {
      for (const item of await this.queryBus.execute(new GetItemsQuery([sku]))) {
        this.items.set(item.sku, { lotControlled: item.lotControlled, until: now + ITEM_TTL_MS });
      }
    }
    const warehouses = await this.warehouseCodes([warehouse], now);
    return { skuUnknown: !this.items.has(sku), warehouseUnknown: !warehouses.has(warehouse) };
  }

  private async warehouseCodes(wanted: readonly string[], now: number): Promise<Set<string>> {
    const cached = this.warehouses;
    const stale = !cached || now - cached.loadedAt > WAREHOUSE_TTL_MS;
    const miss =
      cached !== null &&
      now - cached.loadedAt > WAREHOUSE_MISS_REFRESH_MS &&
      wanted.some((code) => !cached.codes.has(code));
    if (stale || miss) {
      const all = await this.queryBus.execute(new GetWarehousesQuery());
      this.warehouses = { codes: new Set(all.map((w) => w.code)), loadedAt: now };
    }
    return this.warehouses!.codes;
  }
}
