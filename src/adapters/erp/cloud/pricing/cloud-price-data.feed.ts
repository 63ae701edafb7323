import { Injectable } from '@nestjs/common';
import {
  type Contract,
  PriceDataFeed,
  type PriceDataKind,
  type PriceList,
  type PriceListEntry,
  type Promotion,
} from '../../../../modules/pricing/index.js';
import {
  type DeltaEntry,
  type DeltaFeedHealth,
  type DeltaPage,
  type DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { compareIds, decodeCursor, encodeCursor } from '../../shared/feed-position.js';
import { bcDecimal } from '../bc-values.js';
import { type BcRow, CloudErpConnection, isMissingEntitySet } from '../cloud-erp.connection.js';
import {
  assertTimed,
  type CompositeRecord,
  CompositeDeltaReader,
  type DeltaPart,
  type DeltaPosition,
  modifiedAtOf,
} from '../composite-delta.reader.js';
import { CloudPriceDataMapper, type PriceMappingContext } from './cloud-price-data.mapper.js';

/**
 * Without the custom price pages, standard BC's one price per item (`items.unitPrice`, in the
 * local currency and the base unit) is synced as this base price list.
 */
export const ITEM_UNIT_PRICE_LIST = 'BC-ITEM-UNIT-PRICE';
/** sourceId and position of that list (it has no BC row of its own). */
const ITEM_UNIT_PRICE_LIST_ID = '00000000-0000-0000-0000-0000000000b1';
const ITEM_UNIT_PRICE_LIST_AT = new Date(0).toISOString();

const ITEM_PRICE_PARTS: DeltaPart[] = [
  {
    name: 'item',
    api: 'standard',
    entitySet: 'items',
    parentField: 'id',
    cardinality: 'one',
    select: ['number', 'unitPrice', 'baseUnitOfMeasureCode', 'priceIncludesTax'],
  },
];

/** Each price record is one row of one custom API page (the standard BC v2.0 API has none). */
const part = (name: string, entitySet: string, select: string[]): DeltaPart[] => [
  { name, api: 'custom', entitySet, parentField: 'id', cardinality: 'one', select },
];

const PARTS: Record<PriceDataKind, DeltaPart[]> = {
  priceLists: part('priceList', 'priceLists', [
    'code',
    'description',
    'sourceType',
    'sourceNumber',
    'currencyCode',
    'startingDate',
    'endingDate',
    'status',
  ]),
  priceListEntries: part('priceListLine', 'priceListLines', [
    'priceListCode',
    'assetType',
    'assetNumber',
    'unitOfMeasureCode',
    'minimumQuantity',
    'unitPrice',
  ]),
  contracts: part('contract', 'customerContracts', [
    'contractNumber',
    'description',
    'customerNumber',
    'appliesTo',
    'itemNumber',
    'itemCategoryCode',
    'priceType',
    'unitPrice',
    'unitOfMeasureCode',
    'currencyCode',
    'discountPercent',
    'minimumQuantity',
    'startingDate',
    'endingDate',
  ]),
  promotions: part('promotion', 'promotions', [
    'code',
    'description',
    'discountType',
    'discountPercent',
    'discountAmount',
    'currencyCode',
    'minimumQuantity',
    'startingDate',
    'endingDate',
    'status',
    'scopes',
  ]),
};

const MAPPERS: Record<PriceDataKind, (row: BcRow, context: PriceMappingContext) => unknown> = {
  priceLists: CloudPriceDataMapper.priceList,
  priceListEntries: CloudPriceDataMapper.entry,
  contracts: CloudPriceDataMapper.contract,
  promotions: CloudPriceDataMapper.promotion,
};

/** Cursor of this adapter: the last position of a page (ms, record id); f = standard fallback. */
interface PriceCursor {
  m: number;
  s: string;
  f?: 1;
}

const isPriceCursor = (value: unknown): value is PriceCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as PriceCursor).m) &&
  typeof (value as PriceCursor).s === 'string' &&
  ((value as PriceCursor).f === undefined || (value as PriceCursor).f === 1);

/**
 * PriceDataFeed over the cloud ERP's custom API pages priceLists, priceListLines (one row per
 * price: the line's own at minimumQuantity 0 and one per quantity break, as BC keeps them),
 * customerContracts and promotions (scopes embedded). sourceId is the row's `id` GUID; rows come
 * in (lastModifiedDateTime, id) order through BC's server-driven, key-based paging.
 *
 * BC's API reports no deletes: a price deleted in the ERP simply stops being returned, and the
 * hub removes it on its next full sync (PriceDataFeed rule 7').
 */
@Injectable()
export class CloudPriceDataFeed extends PriceDataFeed {
  readonly name = 'cloud';
  private readonly readers: Record<PriceDataKind, CompositeDeltaReader>;
  private readonly itemPrices: CompositeDeltaReader;

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.readers = {
      priceLists: new CompositeDeltaReader(erp, PARTS.priceLists),
      priceListEntries: new CompositeDeltaReader(erp, PARTS.priceListEntries),
      contracts: new CompositeDeltaReader(erp, PARTS.contracts),
      promotions: new CompositeDeltaReader(erp, PARTS.promotions),
    };
    this.itemPrices = new CompositeDeltaReader(erp, ITEM_PRICE_PARTS);
  }

  readPriceLists(request: DeltaReadRequest): Promise<DeltaPage<PriceList>> {
    return this.read('priceLists', request) as Promise<DeltaPage<PriceList>>;
  }

  readPriceListEntries(request: DeltaReadRequest): Promise<DeltaPage<PriceListEntry>> {
    return this.read('priceListEntries', request) as Promise<DeltaPage<PriceListEntry>>;
  }

  readContracts(request: DeltaReadRequest): Promise<DeltaPage<Contract>> {
    return this.read('contracts', request) as Promise<DeltaPage<Contract>>;
  }

  readPromotions(request: DeltaReadRequest): Promise<DeltaPage<Promotion>> {
    return this.read('promotions', request) as Promise<DeltaPage<Promotion>>;
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }

  private async read(kind: PriceDataKind, request: DeltaReadRequest): Promise<DeltaPage<unknown>> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isPriceCursor);
    const from: DeltaPosition | null = cursor
      ? { ms: cursor.m, id: cursor.s }
      : request.since
        ? { ms: Date.parse(request.since.modifiedAt), id: request.since.sourceId }
        : null;
    const page = PARTS[kind][0].entitySet;
    if (cursor?.f === 1 || !this.erp.customPageAvailable(page)) {
      return this.readStandard(kind, request, from);
    }
    try {
      return await this.readCustom(kind, request, from);
    } catch (error) {
      // The custom page is not installed: degrade to standard BC for this and later reads
      // (the connection logs it once and reports it in the health details).
      if (cursor === null && isMissingEntitySet(error)) {
        return this.readStandard(kind, request, from);
      }
      throw error;
    }
  }

  private async readCustom(
    kind: PriceDataKind,
    request: DeltaReadRequest,
    from: DeltaPosition | null,
  ): Promise<DeltaPage<unknown>> {
    const context = { localCurrency: this.erp.localCurrency };
    const page = await this.readers[kind].readPage(from, request.pageSize, {
      countTotal: request.cursor === null,
      signal: request.signal,
    });
    return {
      records: page.records.map((record) => toEntry(kind, record, context)),
      nextCursor: page.next
        ? encodeCursor<PriceCursor>({ m: page.next.ms, s: page.next.id })
        : null,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
    };
  }

  /**
   * What standard BC v2.0 offers without the price pages: one base price list in the local
   * currency whose entries are the items' unitPrice in their base unit; no contracts, no
   * promotions (empty, and `capabilitiesOff` in the ERP health details says so).
   */
  private async readStandard(
    kind: PriceDataKind,
    request: DeltaReadRequest,
    from: DeltaPosition | null,
  ): Promise<DeltaPage<unknown>> {
    const degraded = this.erp.capabilitiesOffFor([PARTS[kind][0].entitySet]);
    if (kind === 'contracts' || kind === 'promotions') {
      return { records: [], nextCursor: null, degraded };
    }
    if (kind === 'priceLists') {
      const listPosition = { ms: 0, id: ITEM_UNIT_PRICE_LIST_ID };
      const after =
        from === null || from.ms < 0 || (from.ms === 0 && compareIds(from.id, listPosition.id) < 0);
      const list: PriceList = {
        code: ITEM_UNIT_PRICE_LIST,
        description: 'Business Central item unit prices (items.unitPrice)',
        type: 'BASE',
        currency: this.erp.localCurrency,
        customerId: null,
        validFrom: '0001-01-01',
        validTo: null,
        active: true,
      };
      return {
        records: after
          ? [
              {
                sourceId: ITEM_UNIT_PRICE_LIST_ID,
                modifiedAt: ITEM_UNIT_PRICE_LIST_AT,
                record: list,
              },
            ]
          : [],
        nextCursor: null,
        degraded,
      };
    }
    const page = await this.itemPrices.readPage(from, request.pageSize, {
      countTotal: request.cursor === null,
      signal: request.signal,
    });
    return {
      records: page.records.map(itemPriceEntry),
      nextCursor: page.next
        ? encodeCursor<PriceCursor>({ m: page.next.ms, s: page.next.id, f: 1 })
        : null,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
      degraded,
    };
  }
}

function toEntry(
  kind: PriceDataKind,
  record: CompositeRecord,
  context: PriceMappingContext,
): DeltaEntry<unknown> {
  const row = Object.values(record.rows)[0]?.[0];
  return mapOrReport<unknown>(record.id, modifiedAtOf(record), record.rows, () => {
    assertTimed(record);
    return MAPPERS[kind](row as BcRow, context);
  });
}

/** An item's standard unitPrice as an entry of the item unit price list. */
function itemPriceEntry(record: CompositeRecord): DeltaEntry<PriceListEntry> {
  const item = record.rows.item?.[0];
  return mapOrReport(record.id, modifiedAtOf(record), record.rows, () => {
    assertTimed(record);
    if (!item) throw new UnmappableRecordError('The item itself was not found in the ERP.');
    if (item.priceIncludesTax === true) {
      throw new UnmappableRecordError(
        `Item ${String(item.number)}: unitPrice includes tax; the hub's price lists are net.`,
      );
    }
    const unitPrice = bcDecimal(item.unitPrice ?? 0, 'unitPrice');
    // 0 is BC's blank: no price set. Quoting it would give the item away.
    if (/^-?0*(\.0*)?$/.test(unitPrice)) {
      throw new UnmappableRecordError(
        `Item ${String(item.number)} has no unitPrice (0, BC's blank): no base price to sync.`,
      );
    }
    return {
      priceListCode: ITEM_UNIT_PRICE_LIST,
      sku: String(item.number ?? ''),
      uom: String(item.baseUnitOfMeasureCode ?? ''),
      minQuantity: '0',
      unitPrice: unitPrice.includes('.') ? unitPrice.replace(/\.?0+$/, '') : unitPrice,
    };
  });
}
