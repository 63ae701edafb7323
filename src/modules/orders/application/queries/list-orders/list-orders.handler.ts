import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { isIsoTimestamp } from '../../../../../platform/cursor/index.js';
import { ApplicationError } from '../../../../../platform/errors/index.js';
import { OrderStore } from '../../../infrastructure/order.store.js';
import { ListOrdersQuery, type OrderPage } from './list-orders.query.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const v = value as { t?: unknown; i?: unknown };
    if (isIsoTimestamp(v.t) && typeof v.i === 'string' && UUID.test(v.i)) {
      return { createdAt: v.t, id: v.i };
    }
  } catch {
    // falls through to the error below: a cursor this API did not hand out
  }
  throw new ApplicationError(
    'INVALID_CURSOR',
    'The cursor is not one this API returned; start again without a cursor.',
    'validation',
    { violations: [{ code: 'INVALID_CURSOR', field: 'cursor', message: 'unknown cursor' }] },
  );
}

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(private readonly store: OrderStore) {}

  async execute({ filter }: ListOrdersQuery): Promise<OrderPage> {
    const limit = Math.min(Math.max(filter.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
    const page = await this.store.list({
      channelId: filter.channelId,
      status: filter.status,
      channelOrderRef: filter.channelOrderRef,
      after: filter.cursor ? decodeCursor(filter.cursor) : undefined,
      limit,
    });
    return {
      items: page.orders,
      nextCursor:
        page.more && page.cursorOfLast
          ? Buffer.from(
              JSON.stringify({ t: page.cursorOfLast.createdAt, i: page.cursorOfLast.id }),
            ).toString('base64url')
          : null,
    };
  }
}
