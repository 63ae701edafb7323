import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isIsoTimestamp } from '../../../../../platform/cursor/index.js';
import {
  SyncRunRepository,
  type SyncRunPosition,
} from '../../../infrastructure/sync-run.repository.js';
import { decodeCursor, encodeCursor } from '../../cursor.js';
import {
  DEFAULT_RUN_PAGE_SIZE,
  ListSyncRunsQuery,
  MAX_RUN_PAGE_SIZE,
  type SyncRunPage,
} from './list-sync-runs.query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isRunCursor = (value: unknown): value is { t: string; i: string } => {
  const c = value as { t?: unknown; i?: unknown } | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    isIsoTimestamp(c.t) &&
    typeof c.i === 'string' &&
    UUID.test(c.i)
  );
};

@QueryHandler(ListSyncRunsQuery)
export class ListSyncRunsHandler implements IQueryHandler<ListSyncRunsQuery> {
  constructor(private readonly runs: SyncRunRepository) {}

  async execute({ input }: ListSyncRunsQuery): Promise<SyncRunPage> {
    const limit = Math.min(Math.max(input.limit ?? DEFAULT_RUN_PAGE_SIZE, 1), MAX_RUN_PAGE_SIZE);
    let after: SyncRunPosition | null = null;
    if (input.cursor !== undefined) {
      const cursor = decodeCursor(input.cursor, isRunCursor);
      after = { startedAt: cursor.t, id: cursor.i };
    }
    const rows = await this.runs.list({ after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      // Run start times come from JS Dates, so milliseconds identify them exactly.
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ t: last.startedAt.toISOString(), i: last.id })
          : null,
    };
  }
}
