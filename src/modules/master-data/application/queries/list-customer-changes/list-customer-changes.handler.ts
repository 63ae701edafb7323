import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  isBigintString,
  isCursorText,
  isIsoTimestamp,
} from '../../../../../platform/cursor/index.js';
import { CustomerRepository } from '../../../infrastructure/customer.repository.js';
import { decodeCursor, encodeCursor } from '../../cursor.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import {
  type CustomerChangesPage,
  DEFAULT_CUSTOMER_PAGE_SIZE,
  ListCustomerChangesQuery,
  MAX_CUSTOMER_PAGE_SIZE,
} from './list-customer-changes.query.js';

/** What a customers cursor holds: the filter it was issued for, and the last customer served. */
interface CustomerCursor {
  v: 1;
  /** changedSince of the first request, ISO, or null (absent in cursors issued before it). */
  s?: string | null;
  /** change_seq and ERP id of the last customer served. */
  q: string;
  k: string;
}

const isCustomerCursor = (value: unknown): value is CustomerCursor => {
  const c = value as Partial<CustomerCursor> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.v === 1 &&
    (c.s === undefined || c.s === null || isIsoTimestamp(c.s)) &&
    isBigintString(c.q) &&
    isCursorText(c.k, 200)
  );
};

@QueryHandler(ListCustomerChangesQuery)
export class ListCustomerChangesHandler implements IQueryHandler<ListCustomerChangesQuery> {
  constructor(private readonly customers: CustomerRepository) {}

  async execute({ input }: ListCustomerChangesQuery): Promise<CustomerChangesPage> {
    const limit = Math.min(
      Math.max(input.limit ?? DEFAULT_CUSTOMER_PAGE_SIZE, 1),
      MAX_CUSTOMER_PAGE_SIZE,
    );
    let since = input.changedSince ?? null;
    let after = { changeSeq: '0', erpId: '' };
    if (input.cursor !== undefined) {
      const cursor = decodeCursor(input.cursor, isCustomerCursor);
      const cursorSince = cursor.s ? new Date(cursor.s) : null;
      // The cursor carries its filter; a different changedSince next to it is a client bug.
      if (since !== null && since.getTime() !== cursorSince?.getTime()) {
        throw MasterDataErrors.invalidCursor(
          'This cursor was issued for another changedSince; send the same one, or none.',
        );
      }
      since = cursorSince;
      after = { changeSeq: cursor.q, erpId: cursor.k };
    }
    // The scope is the caller's, applied on every page: a cursor handed to another channel
    // still lists only that channel's customers.
    const scope = input.scope;
    if (scope?.kind === 'LISTED' && scope.accounts.length === 0) {
      return { customers: [], hasMore: false, nextCursor: cursorOf(since, after) };
    }
    const rows = await this.customers.listChanges({
      after,
      limit: limit + 1,
      syncedSince: since,
      accounts: scope?.kind === 'LISTED' ? scope.accounts : undefined,
    });
    const page = rows.slice(0, limit);
    const last = page.length > 0 ? page[page.length - 1].position : after;
    return {
      customers: page.map(({ position: _position, ...customer }) => customer),
      hasMore: rows.length > limit,
      nextCursor: cursorOf(since, last),
    };
  }
}

function cursorOf(since: Date | null, last: { changeSeq: string; erpId: string }): string {
  return encodeCursor({ v: 1, s: since?.toISOString() ?? null, q: last.changeSeq, k: last.erpId });
}
