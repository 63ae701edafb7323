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
import { bcDecimal, bcOptionalDate } from '../bc-values.js';
import { type BcRow, CloudErpConnection, isMissingEntitySet } from '../cloud-erp.connection.js';
import {
  assertTimed,
  type CompositeRecord,
  CompositeDeltaReader,
  type DeltaPart,
  type DeltaPosition,
  modifiedAtOf,
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

/** Standard BC's one stock figure per item: what is synced while inventoryBalances is missing. */
const ITEM_STOCK_PARTS: DeltaPart[] = [
  {
    name: 'item',
    api: 'standard',
    entitySet: 'items',
    parentField: 'id',
    cardinality: 'one',
    select: ['number', 'type', 'inventory'],
  },
];

/** Locations change rarely: the default one is looked up once per this long. */
const LOCATION_TTL_MS = 5 * 60_000;

/** Cursor of this adapter: the last position of a page (ms, record id); f = standard fallback. */
interface BalanceCursor {
  m: number;
  s: string;
  f?: 1;
}

const isBalanceCursor = (value: unknown): value is BalanceCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as BalanceCursor).m) &&
  typeof (value as BalanceCursor).s === 'string' &&
  ((value as BalanceCursor).f === undefined || (value as BalanceCursor).f === 1);

/**
 * InventoryFeed over the cloud ERP's `inventoryBalances` page (one row per item × location ×
 * lot). sourceId is the row's `id` GUID; rows come in (lastModifiedDateTime, id) order through
 * BC's server-driven paging, like the master-data sets.
 */
@Injectable()
export class CloudInventoryFeed extends InventoryFeed {
  readonly name = 'cloud';
  private readonly reader: CompositeDeltaReader;
  private readonly itemStock: CompositeDeltaReader;
  private location?: { at: number; code: Promise<string> };

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.reader = new CompositeDeltaReader(erp, BALANCE_PARTS);
    this.itemStock = new CompositeDeltaReader(erp, ITEM_STOCK_PARTS);
  }

  async readBalances(request: DeltaReadRequest): Promise<DeltaPage<InventoryBalance>> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isBalanceCursor);
    const from: DeltaPosition | null = cursor
      ? { ms: cursor.m, id: cursor.s }
      : request.since
        ? { ms: Date.parse(request.since.modifiedAt), id: request.since.sourceId }
        : null;
    if (cursor?.f === 1 || !this.erp.customPageAvailable('inventoryBalances')) {
      return this.readItemStock(request, from);
    }
    try {
      return await this.readBalancePage(request, from);
    } catch (error) {
      if (cursor === null && isMissingEntitySet(error)) return this.readItemStock(request, from);
      throw error;
    }
  }

  private async readBalancePage(
    request: DeltaReadRequest,
    from: DeltaPosition | null,
  ): Promise<DeltaPage<InventoryBalance>> {
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

  /**
   * Standard BC without the inventoryBalances page: `items.inventory` (one total over all
   * locations) booked at the default location. Service and Non-Inventory items hold no stock
   * and give no balance.
   */
  private async readItemStock(
    request: DeltaReadRequest,
    from: DeltaPosition | null,
  ): Promise<DeltaPage<InventoryBalance>> {
    const page = await this.itemStock.readPage(from, request.pageSize, {
      countTotal: request.cursor === null,
      signal: request.signal,
    });
    const warehouse = await this.defaultLocation(request.signal);
    return {
      records: page.records
        .filter((record) => (record.rows.item?.[0]?.type ?? 'Inventory') === 'Inventory')
        .map((record) => itemStockEntry(record, warehouse)),
      nextCursor: page.next
        ? encodeCursor<BalanceCursor>({ m: page.next.ms, s: page.next.id, f: 1 })
        : null,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
      degraded: this.erp.capabilitiesOffFor(['inventoryBalances']),
    };
  }

  /** The configured default location, else the first of BC's locations by code. */
  private async defaultLocation(signal?: AbortSignal): Promise<string> {
    const configured = this.erp.defaultLocationCode;
    if (configured) return configured;
    if (!this.location || Date.now() - this.location.at > LOCATION_TTL_MS) {
      const code = this.erp
        .all<{ id: string; code: string }>(
          'standard',
          'locations',
          { select: ['id', 'code'] },
          1000,
          signal,
        )
        .then((rows) => {
          const codes = rows
            .map((r) => String(r.code))
            .filter((c) => c.trim() !== '')
            .sort();
          if (codes.length === 0) {
            throw new Error('The cloud ERP lists no locations to book items.inventory at.');
          }
          return codes[0];
        });
      this.location = { at: Date.now(), code };
      code.catch(() => (this.location = undefined));
    }
    return this.location.code;
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}

function itemStockEntry(record: CompositeRecord, warehouse: string): DeltaEntry<InventoryBalance> {
  const item = record.rows.item?.[0];
  return mapOrReport(record.id, modifiedAtOf(record), record.rows, () => {
    assertTimed(record);
    if (!item) throw new UnmappableRecordError('The item itself was not found in the ERP.');
    return {
      sku: text(item.number, 'number'),
      warehouse,
      lot: null,
      expiryDate: null,
      onHand: bcDecimal(item.inventory ?? 0, 'inventory'),
      allocated: '0',
    };
  });
}

function toEntry(record: CompositeRecord): DeltaEntry<InventoryBalance> {
  const row = record.rows.balance?.[0] as BcRow | undefined;
  return mapOrReport(record.id, modifiedAtOf(record), record.rows, () => {
    assertTimed(record);
    if (!row) throw new UnmappableRecordError('The balance row is missing.');
    return {
      sku: text(row.itemNumber, 'itemNumber'),
      warehouse: text(row.locationCode, 'locationCode'),
      lot: textOrNull(row.lotNumber),
      expiryDate: bcOptionalDate(row.expirationDate),
      onHand: bcDecimal(row.quantityOnHand ?? 0, 'quantityOnHand'),
      allocated: bcDecimal(row.quantityAllocated ?? 0, 'quantityAllocated'),
    };
  });
}

function text(value: unknown, field: string): string {
  const t = textOrNull(value);
  if (t === null) throw new UnmappableRecordError(`${field} is blank.`);
  return t;
}
