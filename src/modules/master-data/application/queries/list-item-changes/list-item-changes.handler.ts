import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  isBigintString,
  isCursorText,
  isIsoTimestamp,
} from '../../../../../platform/cursor/index.js';
import { ItemRepository, type ItemFeedPosition } from '../../../infrastructure/item.repository.js';
import { decodeCursor, encodeCursor } from '../../cursor.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import {
  DEFAULT_ITEM_PAGE_SIZE,
  type ItemChangesPage,
  ListItemChangesQuery,
  MAX_ITEM_PAGE_SIZE,
} from './list-item-changes.query.js';

/** What an items cursor holds: the filter it was issued for and the last item served. */
interface ItemCursor {
  v: 1;
  /** changedSince of the first request, ISO, or null. */
  s: string | null;
  /** change_seq and sku of the last item served. */
  q: string;
  k: string;
}

const isItemCursor = (value: unknown): value is ItemCursor => {
  const c = value as Partial<ItemCursor> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.v === 1 &&
    (c.s === null || isIsoTimestamp(c.s)) &&
    isBigintString(c.q) &&
    isCursorText(c.k, 200)
  );
};

const START: ItemFeedPosition = { changeSeq: '0', sku: '' };

@QueryHandler(ListItemChangesQuery)
export class ListItemChangesHandler implements IQueryHandler<ListItemChangesQuery> {
  constructor(private readonly items: ItemRepository) {}

  async execute({ input }: ListItemChangesQuery): Promise<ItemChangesPage> {
    const limit = Math.min(Math.max(input.limit ?? DEFAULT_ITEM_PAGE_SIZE, 1), MAX_ITEM_PAGE_SIZE);
    let since = input.changedSince ?? null;
    let after = START;
    if (input.cursor !== undefined) {
      const cursor = decodeCursor(input.cursor, isItemCursor);
      const cursorSince = cursor.s === null ? null : new Date(cursor.s);
      // The cursor carries its filter; a different changedSince next to it is a client bug.
      if (since !== null && since.getTime() !== cursorSince?.getTime()) {
        throw MasterDataErrors.invalidCursor(
          'This cursor was issued for another changedSince; send the same one, or none.',
        );
      }
      since = cursorSince;
      after = { changeSeq: cursor.q, sku: cursor.k };
    }
    const rows = await this.items.listChanges({ syncedSince: since, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.length > 0 ? page[page.length - 1].position : after;
    return {
      items: page.map(({ position: _position, ...item }) => item),
      hasMore: rows.length > limit,
      nextCursor: encodeCursor({
        v: 1,
        s: since?.toISOString() ?? null,
        q: last.changeSeq,
        k: last.sku,
      }),
    };
  }
}
