import type {
  DeltaEntry,
  DeltaPage,
  DeltaReadRequest,
} from '../../../platform/delta-sync/index.js';
import { mapOrReport } from '../shared/canonical-fields.js';
import {
  decodeCursor,
  encodeCursor,
  type FeedPosition,
  isFeedPosition,
  startOf,
} from '../shared/feed-position.js';
import type { OnPremErpConnection } from './onprem-erp.connection.js';

/** A document header as a page query returns it: its sourceId and its position. */
export interface DocumentHeaderRow {
  sid: string;
  at: string;
}

export interface DocumentPageQuery<H extends DocumentHeaderRow, L, T> {
  /**
   * The keyset page of headers: $1 position instant, $2 position sourceId, $3 limit; rows after
   * ($1, $2) in (at, sid COLLATE "C") order, with `sid` and `at` columns.
   */
  headersSql: string;
  /** The lines of the headers whose sourceIds are in $1 (text[]), in line order. */
  linesSql: string;
  lineOwner(line: L): string;
  /** Throws UnmappableRecordError for a document that cannot be mapped. */
  map(header: H, lines: L[]): T;
}

/**
 * One page of a document feed (header + lines) over the on-prem ERP: both queries in one
 * read-only snapshot, so a document is never delivered half-read. The cursor is the last
 * position returned, with PostgreSQL's microseconds (as OnPremInventoryFeed).
 */
export function readDocumentPage<H extends DocumentHeaderRow, L, T>(
  erp: OnPremErpConnection,
  request: DeltaReadRequest,
  query: DocumentPageQuery<H, L, T>,
): Promise<DeltaPage<T>> {
  request.signal?.throwIfAborted();
  const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isFeedPosition);
  const from = startOf(request.since, cursor);
  return erp.read(async (sql) => {
    const rows = await sql.query<H>(query.headersSql, [
      from?.at ?? '-infinity',
      from?.sourceId ?? '',
      request.pageSize + 1,
    ]);
    const page = rows.slice(0, request.pageSize);
    const lines =
      page.length === 0 ? [] : await sql.query<L>(query.linesSql, [page.map((h) => h.sid)]);
    const linesOf = new Map<string, L[]>();
    for (const line of lines) {
      const owner = query.lineOwner(line);
      const group = linesOf.get(owner);
      if (group) group.push(line);
      else linesOf.set(owner, [line]);
    }
    const last = page[page.length - 1];
    return {
      records: page.map((header): DeltaEntry<T> =>
        mapOrReport(header.sid, header.at, { header, lines: linesOf.get(header.sid) ?? [] }, () =>
          query.map(header, linesOf.get(header.sid) ?? []),
        ),
      ),
      nextCursor:
        rows.length > page.length && last
          ? encodeCursor<FeedPosition>({ at: last.at, sourceId: last.sid })
          : null,
    };
  });
}
