import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { Item } from '../../../domain/item.js';
import { ItemMapper } from '../../../infrastructure/item.mapper.js';
import { ItemOrmEntity } from '../../../infrastructure/item.orm-entity.js';
import { GetItemsQuery } from './get-items.query.js';

const MAX_SKUS = 1000;

@QueryHandler(GetItemsQuery)
export class GetItemsHandler implements IQueryHandler<GetItemsQuery> {
  constructor(@InjectRepository(ItemOrmEntity) private readonly items: Repository<ItemOrmEntity>) {}

  async execute(query: GetItemsQuery): Promise<Item[]> {
    const skus = [...new Set(query.skus)];
    if (skus.length === 0) return [];
    if (skus.length > MAX_SKUS) throw new Error(`GetItemsQuery takes at most ${MAX_SKUS} SKUs`);
    const rows = await this.items.find({ where: { sku: In(skus) }, relations: { uoms: true } });
    return rows.map((row) => ItemMapper.toDomain(row, row.uoms ?? []).value);
  }
}
