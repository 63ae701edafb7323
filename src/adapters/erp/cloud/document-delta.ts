import type { DeltaReadRequest } from '../../../platform/delta-sync/index.js';
import { decodeCursor, encodeCursor } from '../shared/feed-position.js';
import type { BcRow, CloudErpConnection } from './cloud-erp.connection.js';
import {
  type CompositeRecord,
  CompositeDeltaReader,
  type DeltaPosition,
} from './composite-delta.reader.js';

/** A BC document (sales order, shipment, invoice) read by its header's lastModifiedDateTime. */
export interface DocumentSpec {
  entitySet: string;
  /** The lines' navigation property, read with each header (`$expand`). */
  lines: string;
  /** Header fields the mapping needs. */
  select: string[];
  /** Only headers that match (e.g. `externalDocumentNumber ne ''`). */
  filter?: string;
}

export interface DocumentPage {
  records: CompositeRecord[];
  nextCursor: string | null;
  totalEstimate?: number;
}

/** Cursor of the document feeds: the last position of a page (ms, record id). */
interface DocumentCursor {
  m: number;
  s: string;
}

const isDocumentCursor = (value: unknown): value is DocumentCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as DocumentCursor).m) &&
  typeof (value as DocumentCursor).s === 'string';

/**
 * Delta pages of one kind of BC document WITH its lines, by the header's lastModifiedDateTime
 * and id (keyset paging through the server's next links, CompositeDeltaReader). BC stamps the
 * header when a line changes (§5.6, §5.12), and posted shipment/invoice lines never change, so
 * the header's time is the document's.
 */
export class DocumentDeltaReader {
  private readonly reader: CompositeDeltaReader;

  constructor(
    erp: CloudErpConnection,
    private readonly spec: DocumentSpec,
  ) {
    this.reader = new CompositeDeltaReader(erp, [
      {
        name: 'header',
        api: 'standard',
        entitySet: spec.entitySet,
        parentField: 'id',
        cardinality: 'one',
        select: spec.select,
        filter: spec.filter,
        expand: [spec.lines],
      },
    ]);
  }

  async readPage(request: DeltaReadRequest): Promise<DocumentPage> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isDocumentCursor);
    const from: DeltaPosition | null = cursor
      ? { ms: cursor.m, id: cursor.s }
      : request.since
        ? { ms: Date.parse(request.since.modifiedAt), id: request.since.sourceId }
        : null;
    const page = await this.reader.readPage(from, request.pageSize, {
      countTotal: request.cursor === null,
      signal: request.signal,
    });
    return {
      records: page.records,
      nextCursor: page.next
        ? encodeCursor<DocumentCursor>({ m: page.next.ms, s: page.next.id })
        : null,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
    };
  }

  /** The header row of a record and its lines (as BC expanded them). */
  rowsOf(record: CompositeRecord): { header: BcRow | undefined; lines: BcRow[] } {
    const header = record.rows.header?.[0];
    const lines = header?.[this.spec.lines];
    return { header, lines: Array.isArray(lines) ? (lines as BcRow[]) : [] };
  }
}
