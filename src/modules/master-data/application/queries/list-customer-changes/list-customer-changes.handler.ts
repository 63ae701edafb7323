import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isBigintString, isCursorText } from '../../../../../platform/cursor/index.js';
import { CustomerRepository } from '../../../infrastructure/customer.repository.js';
import { decodeCursor, encodeCursor } from '../../cursor.js';
import {
  type CustomerChangesPage,
  DEFAULT_CUSTOMER_PAGE_SIZE,
  ListCustomerChangesQuery,
  MAX_CUSTOMER_PAGE_SIZE,
} from './list-customer-changes.query.js';

/** What a customers cursor holds: change_seq and ERP id of the last customer served. */
interface CustomerCursor {
  v: 1;
  q: string;
  k: string;
}

const isCustomerCursor = (value: unknown): value is CustomerCursor => {
  const c = value as Partial<CustomerCursor> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.v === 1 &&
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
    const after =
      input.cursor === undefined
        ? { changeSeq: '0', erpId: '' }
        : (({ q, k }) => ({ changeSeq: q, erpId: k }))(
            decodeCursor(input.cursor, isCustomerCursor),
          );
    const rows = await this.customers.listChanges({ after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.length > 0 ? page[page.length - 1].position : after;
    return {
      customers: page.map(({ position: _position, ...customer }) => customer),
      hasMore: rows.length > limit,
      nextCursor: encodeCursor({ v: 1, q: last.changeSeq, k: last.erpId }),
    };
  }
}
