import {
  DEFAULT_ITEM_PAGE_SIZE,
  MAX_ITEM_PAGE_SIZE,
} from '../../application/queries/list-item-changes/list-item-changes.query.js';
import { ChangedSinceField, CursorField, PageSizeField } from './change-feed.query.js';

export class ListItemsQuery {
  @ChangedSinceField('items')
  changedSince?: string;

  @CursorField('eyJ2IjoxLCJzIjpudWxsLCJxIjoiNDIiLCJrIjoiSFgtMjA0MC1CTEsifQ')
  cursor?: string;

  @PageSizeField(MAX_ITEM_PAGE_SIZE, DEFAULT_ITEM_PAGE_SIZE)
  limit?: number;
}
