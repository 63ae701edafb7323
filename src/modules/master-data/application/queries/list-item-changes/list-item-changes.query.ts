import { Query } from '@nestjs/cqrs';
import type { Item } from '../../../domain/item.js';
import type { Synced } from '../../../domain/synced.js';

export interface ItemChangesPage {
  items: Synced<Item>[];
  /**
   * Always set. While `hasMore`, it fetches the next page; once `hasMore` is false, keep it and
   * pass it later to get only the items written since (a delta link).
   */
  nextCursor: string;
  hasMore: boolean;
}

export const DEFAULT_ITEM_PAGE_SIZE = 100;
export const MAX_ITEM_PAGE_SIZE = 500;

/**
 * Items in the order the hub wrote them: everything, or only those written at/after
 * `changedSince`, continued with an opaque cursor.
 */
export class ListItemChangesQuery extends Query<ItemChangesPage> {
  constructor(
    readonly input: {
      changedSince?: Date;
      cursor?: string;
      limit?: number;
    },
  ) {
    super();
  }
}
