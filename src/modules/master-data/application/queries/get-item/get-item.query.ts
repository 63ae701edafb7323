import { Query } from '@nestjs/cqrs';
import type { Item } from '../../../domain/item.js';
import type { Synced } from '../../../domain/synced.js';

/** One item by SKU, with UoM conversions; ITEM_NOT_FOUND when unknown. */
export class GetItemQuery extends Query<Synced<Item>> {
  constructor(readonly sku: string) {
    super();
  }
}
