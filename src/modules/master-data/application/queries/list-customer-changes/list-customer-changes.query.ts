import { Query } from '@nestjs/cqrs';
import type { CustomerScope } from '../../../../../platform/auth/index.js';
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
/** GET /v1/customers pages at most this many (the query allows more to modules). */
export const MAX_CUSTOMER_API_PAGE_SIZE = 500;

/**
 * Customers (with ship-tos) in the order the hub wrote them, continued with an opaque cursor:
 * for modules that keep their own copy of what they need of customers (pricing's cache), and for
 * GET /v1/customers, where `scope` (the calling channel's) limits the list to the customers the
 * channel may act for and `changedSince` to those written at/after it.
 */
export class ListCustomerChangesQuery extends Query<CustomerChangesPage> {
  constructor(
    readonly input: {
      cursor?: string;
      limit?: number;
      changedSince?: Date;
      scope?: CustomerScope;
    },
  ) {
    super();
  }
}
