import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetItemsQuery, type Item } from '../../../../master-data/index.js';
import { InventoryErrors } from '../../inventory.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { Decimal } from 'decimal.js';
import type { DataSource } from 'typeorm';
import { availableToPromise } from '../../../domain/availability.js';
import {
  allowsWarehouse,
  channelAvailable,
  type ChannelAvailabilityRule,
  NO_BUFFER,
} from '../../../domain/channel-rule.js';
import { formatQuantity } from '../../../domain/quantity.js';
import { PositionStore } from '../../../infrastructure/position.store.js';
import { ChannelRules } from '../../channel-rules.js';
import {
  GetAvailabilityQuery,
  type SkuAvailability,
  type WarehouseAvailability,
} from './get-availability.query.js';

const OPEN: ChannelAvailabilityRule = { warehouses: null, buffer: NO_BUFFER };

@QueryHandler(GetAvailabilityQuery)
export class GetAvailabilityHandler implements IQueryHandler<GetAvailabilityQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly positions: PositionStore,
    private readonly rules: ChannelRules,
    private readonly queryBus: QueryBus,
  ) {}

  async execute(query: GetAvailabilityQuery): Promise<SkuAvailability[]> {
    const skus = [...new Set(query.skus)];
    const items = new Map(
      (await this.queryBus.execute(new GetItemsQuery(skus))).map((i: Item) => [i.sku, i.baseUom]),
    );
    if (query.singleUnknownIsNotFound && skus.length === 1 && !items.has(skus[0])) {
      throw InventoryErrors.itemNotFound(skus[0]);
    }
    const rule = query.channel ? (await this.rules.effective(query.channel)).rule : OPEN;
    const found = await this.positions.find(this.dataSource.manager, skus, query.warehouse);
    const bySku = new Map<string, WarehouseAvailability[]>();
    for (const p of found) {
      if (!allowsWarehouse(rule, p.warehouse)) continue;
      const list = bySku.get(p.sku) ?? [];
      list.push({
        warehouse: p.warehouse,
        atp: formatQuantity(channelAvailable(rule, p.warehouse, availableToPromise(p.figures))),
        stockEventAt: p.stockEventAt,
        updatedAt: p.updatedAt,
      });
      bySku.set(p.sku, list);
    }
    return skus.map((sku) => {
      const warehouses = bySku.get(sku) ?? [];
      let newest: Date | null = null;
      for (const w of warehouses) {
        if (w.stockEventAt && (!newest || w.stockEventAt > newest)) newest = w.stockEventAt;
      }
      return {
        sku,
        found: items.has(sku),
        uom: items.get(sku) ?? null,
        atp: formatQuantity(warehouses.reduce((sum, w) => sum.plus(w.atp), new Decimal(0))),
        warehouses,
        stockEventAt: newest,
      };
    });
  }
}
