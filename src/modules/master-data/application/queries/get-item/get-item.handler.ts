import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Item } from '../../../domain/item.js';
import type { Synced } from '../../../domain/synced.js';
import { ItemRepository } from '../../../infrastructure/item.repository.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import { GetItemQuery } from './get-item.query.js';

@QueryHandler(GetItemQuery)
export class GetItemHandler implements IQueryHandler<GetItemQuery> {
  constructor(private readonly items: ItemRepository) {}

  async execute(query: GetItemQuery): Promise<Synced<Item>> {
    const item = await this.items.findBySku(query.sku);
    if (!item) throw MasterDataErrors.itemNotFound(query.sku);
    return item;
  }
}
