import { Injectable } from '@nestjs/common';
import { type InventoryBalance, InventoryFeed } from '../../../../modules/inventory/index.js';
import type {
  DeltaEntry,
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport, textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { decodeCursor, encodeCursor } from '../../shared/feed-position.js';
import { type BcRow, CloudErpConnection } from '../cloud-erp.connection.js';
import {
  type CompositeRecord,
  CompositeDeltaReader,
  type DeltaPart,
  type DeltaPosition,
} from '../composite-delta.reader.js';

/** Stock per location and lot: a custom API page (BC's standard `items.inventory` is one total). */
const BALANCE_PARTS: DeltaPart[] = [
  {
    name: 'balance',
    api: 'custom',
    entitySet: 'inventoryBalances',
    parentField: 'id',
    cardinality: 'one',
    select: [
      'itemNumber',
      'locationCode',
      'lotNumber',
      'expirationDate',
      'quantityOnHand',
      'quantityAllocated',
    ],
  },
];

/** Cursor of this adapter: the last position of a page (ms, record id). */
interface BalanceCursor {
  m: number;
  s: string;
}

const isBalanceCursor = (value: unknown): value is BalanceCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as BalanceCursor).m) &&
  typeof (value as BalanceCursor).s === 'string';

/** BC writes 0001-01-01 for a blank date. */
const BLANK_DATE = '0001-01-01';

/**
 * InventoryFeed over the cloud ERP's `inventoryBalances` page (one row per item × location ×
 * lot). sourceId is the row's `id` GUID; rows come in (lastModifiedDateTime, id) order through
 * BC's server-driven paging, like the master-data sets.
 */
@Injectable()
export class CloudInventoryFeed extends InventoryFeed {
  readonly name = 'cloud';
  private readonly reader: CompositeDeltaReader;

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.reader = new CompositeDeltaReader(erp, BALANCE_PARTS);
  }

  async readBalances(request: DeltaReadRequest): Promise<DeltaPage<InventoryBalance>> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isBalanceCursor);
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
      records: page.records.map(toEntry),
      nextCursor: page.next
        ? encodeCursor<BalanceCursor>({ m: page.next.ms, s: page.next.id })
        : null,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
    };
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}

function toEntry(record: CompositeRecord): DeltaEntry<InventoryBalance> {
  const row = record.rows.balance?.[0] as BcRow | undefined;
  return mapOrReport(record.id, new Date(record.ms).toISOString(), record.rows, () => {
    if (!row) throw new UnmappableRecordError('The balance row is missing.');
    const expiry = textOrNull(row.expirationDate);
    return {
      sku: text(row.itemNumber, 'itemNumber'),
      warehouse: text(row.locationCode, 'locationCode'),
      lot: textOrNull(row.lotNumber),
      expiryDate: expiry === BLANK_DATE ? null : expiry,
      onHand: decimal(row.quantityOnHand, 'quantityOnHand'),
      allocated: decimal(row.quantityAllocated, 'quantityAllocated'),
    };
  });
}

function text(value: unknown, field: string): string {
  const t = textOrNull(value);
  if (t === null) throw new UnmappableRecordError(`${field} is blank.`);
  return t;
}

/**
 * A BC decimal as exact text. With `IEEE754Compatible=true` BC sends strings; a JSON number
 * would have passed through a float, so it is refused rather than trusted.
 */
function decimal(value: unknown, field: string): string {
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return value.trim();
  throw new UnmappableRecordError(
    `${field} is not an exact decimal string (got ${JSON.stringify(value)}).`,
  );
}
