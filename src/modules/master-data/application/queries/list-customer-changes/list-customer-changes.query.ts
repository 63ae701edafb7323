import { Query } from '@nestjs/cqrs';
import type { Customer } from '../../../domain/customer.js';
import type { Synced } from '../../../domain/synced.js';

export interface CustomerChangesPage {
  customers: Synced<Customer>[];
  /**
   * Always set. While `hasMore`, it fetches the next page; once `hasMore` is false, keep it and
   * pass it later to get only the customers written since (a delta link).
   */
  nextCursor: string;
  hasMore: boolean;
}

export const DEFAULT_CUSTOMER_PAGE_SIZE = 100;
export const MAX_CUSTOMER_PAGE_SIZE = 1000;

/**
 * Customers (with ship-tos) in the order the hub wrote them, continued with an opaque cursor:
 * for modules that keep their own copy of what they need of customers (pricing's cache).
 */
export class ListCustomerChangesQuery extends Query<CustomerChangesPage> {
  constructor(readonly input: { cursor?: string; limit?: number }) {
    super();
  }
}
