import { Query } from '@nestjs/cqrs';
import type { Item } from '../../../domain/item.js';

/** The items with these SKUs that the hub knows (unknown SKUs are simply absent); at most 1,000. */
export class GetItemsQuery extends Query<Item[]> {
  constructor(readonly skus: readonly string[]) {
    super();
  }
}
