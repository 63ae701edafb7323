import { Injectable } from '@nestjs/common';
import {
  type Contract,
  type PriceDataEntry,
  PriceDataFeed,
  type PriceDataFeedHealth,
  type PriceDataKind,
  type PriceDataPage,
  type PriceDataReadRequest,
  type PriceList,
  type PriceListEntry,
  type Promotion,
} from '../../../../modules/pricing/index.js';
import { mapOrReport } from '../../shared/canonical-fields.js';
import { decodeCursor, encodeCursor } from '../../shared/feed-position.js';
import { type BcRow, CloudErpConnection } from '../cloud-erp.connection.js';
import {
  type CompositeRecord,
  CompositeDeltaReader,
  type DeltaPart,
  type DeltaPosition,
} from '../composite-delta.reader.js';
import { CloudPriceDataMapper } from './cloud-price-data.mapper.js';

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

const MAPPERS: Record<PriceDataKind, (row: BcRow) => unknown> = {
  priceLists: CloudPriceDataMapper.priceList,
  priceListEntries: CloudPriceDataMapper.entry,
  contracts: CloudPriceDataMapper.contract,
  promotions: CloudPriceDataMapper.promotion,
};

/** Cursor of this adapter: the last position of a page (ms, record id). */
interface PriceCursor {
  m: number;
  s: string;
}

const isPriceCursor = (value: unknown): value is PriceCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as PriceCursor).m) &&
  typeof (value as PriceCursor).s === 'string';

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

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.readers = {
      priceLists: new CompositeDeltaReader(erp, PARTS.priceLists),
      priceListEntries: new CompositeDeltaReader(erp, PARTS.priceListEntries),
      contracts: new CompositeDeltaReader(erp, PARTS.contracts),
      promotions: new CompositeDeltaReader(erp, PARTS.promotions),
    };
  }

  readPriceLists(request: PriceDataReadRequest): Promise<PriceDataPage<PriceList>> {
    return this.read('priceLists', request) as Promise<PriceDataPage<PriceList>>;
  }

  readPriceListEntries(request: PriceDataReadRequest): Promise<PriceDataPage<PriceListEntry>> {
    return this.read('priceListEntries', request) as Promise<PriceDataPage<PriceListEntry>>;
  }

  readContracts(request: PriceDataReadRequest): Promise<PriceDataPage<Contract>> {
    return this.read('contracts', request) as Promise<PriceDataPage<Contract>>;
  }

  readPromotions(request: PriceDataReadRequest): Promise<PriceDataPage<Promotion>> {
    return this.read('promotions', request) as Promise<PriceDataPage<Promotion>>;
  }

  healthCheck(): Promise<PriceDataFeedHealth> {
    return this.erp.healthCheck();
  }

  private async read(
    kind: PriceDataKind,
    request: PriceDataReadRequest,
  ): Promise<PriceDataPage<unknown>> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isPriceCursor);
    const from: DeltaPosition | null = cursor
      ? { ms: cursor.m, id: cursor.s }
      : request.since
        ? { ms: Date.parse(request.since.modifiedAt), id: request.since.sourceId }
        : null;
    const page = await this.readers[kind].readPage(from, request.pageSize, {
      countTotal: request.cursor === null,
      signal: request.signal,
    });
    return {
      records: page.records.map((record) => toEntry(kind, record)),
      nextCursor: page.next
        ? encodeCursor<PriceCursor>({ m: page.next.ms, s: page.next.id })
        : null,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
    };
  }
}

function toEntry(kind: PriceDataKind, record: CompositeRecord): PriceDataEntry<unknown> {
  const row = Object.values(record.rows)[0]?.[0];
  return mapOrReport<unknown>(record.id, new Date(record.ms).toISOString(), record.rows, () =>
    MAPPERS[kind](row as BcRow),
  );
}
