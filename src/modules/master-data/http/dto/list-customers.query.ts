import {
  DEFAULT_CUSTOMER_PAGE_SIZE,
  MAX_CUSTOMER_API_PAGE_SIZE,
} from '../../application/queries/list-customer-changes/list-customer-changes.query.js';
import { ChangedSinceField, CursorField, PageSizeField } from './change-feed.query.js';

export class ListCustomersQuery {
  @ChangedSinceField('customers')
  changedSince?: string;

  @CursorField('eyJ2IjoxLCJzIjpudWxsLCJxIjoiNDIiLCJrIjoiQzEwMDQyIn0')
  cursor?: string;

  @PageSizeField(MAX_CUSTOMER_API_PAGE_SIZE, DEFAULT_CUSTOMER_PAGE_SIZE)
  limit?: number;
}
