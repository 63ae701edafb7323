import { Injectable } from '@nestjs/common';
import {
  type Customer,
  type Item,
  MasterDataFeed,
  type MasterDataKind,
  type Warehouse,
} from '../../../../modules/master-data/index.js';
import {
  type DeltaEntry,
  type DeltaFeedHealth,
  type DeltaPage,
  type DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport } from '../../shared/canonical-fields.js';
import { decodeCursor, encodeCursor } from '../../shared/feed-position.js';
import { CloudErpConnection } from '../cloud-erp.connection.js';
import {
  CloudMasterDataMapper,
  CUSTOMER_PARTS,
  type CustomerMappingContext,
  ITEM_PARTS,
  type ItemMappingContext,
  WAREHOUSE_PARTS,
} from './cloud-master-data.mapper.js';
import {
  assertTimed,
  type CompositeRecord,
  CompositeDeltaReader,
  type DeltaPosition,
  modifiedAtOf,
} from '../composite-delta.reader.js';

/** Standard reference data a customer's ids point at, read together and cached. */
interface CustomerReferenceData {
  cashTerms: ReadonlySet<string>;
  paymentTermsById: ReadonlyMap<string, string>;
  taxAreasById: ReadonlyMap<string, string>;
}

/** Cursor of this adapter: the position after a page (ms, record id) and its pass state. */
interface CloudCursor {
  m: number;
  s: string;
  p: string;
  n: number;
}

const isCloudCursor = (value: unknown): value is CloudCursor =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as CloudCursor).m) &&
  typeof (value as CloudCursor).s === 'string' &&
  typeof (value as CloudCursor).p === 'string' &&
  Number.isInteger((value as CloudCursor).n);

/** A page read ahead is used only this soon (older: the hub has moved on, read it anew). */
const READ_AHEAD_TTL_MS = 60_000;
/**
 * Pages read ahead of the hub, one after the other (a pass's pages are sequential). The hub
 * applies a page in about the time the ERP takes to read one; with a single page ahead, every
 * slower page on either side left the ERP's request budget idle. A few pages absorb that.
 */
const READ_AHEAD_PAGES = 3;
/** Payment terms change rarely: read them once per this long. */
const TERMS_TTL_MS = 5 * 60_000;

/**
 * MasterDataFeed over the cloud ERP (Business Central API v2.0 + custom API pages). sourceId is
 * the BC `id` GUID. Records span several entity sets (a customer's ship-to addresses, an item's
 * units of measure and substitutions), merged by CompositeDeltaReader in the order of their
 * greatest lastModifiedDateTime.
 *
 * Read-ahead: while the hub writes a page, the next ones (up to READ_AHEAD_PAGES) are already
 * being read, so the ERP's request budget is used instead of idling; each page is as consistent
 * as if read a moment later.
 */
@Injectable()
export class CloudMasterDataFeed extends MasterDataFeed {
  readonly name = 'cloud';
  private readonly readers: Record<MasterDataKind, CompositeDeltaReader>;
  /** Per kind, the pages read ahead, in order: each one follows the cursor of the one before. */
  private readonly readAhead = new Map<MasterDataKind, AheadPage[]>();
  private terms?: { at: number; data: Promise<CustomerReferenceData> };

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.readers = {
      customers: new CompositeDeltaReader(erp, CUSTOMER_PARTS),
      items: new CompositeDeltaReader(erp, ITEM_PARTS),
      warehouses: new CompositeDeltaReader(erp, WAREHOUSE_PARTS),
    };
  }

  readCustomers(request: DeltaReadRequest): Promise<DeltaPage<Customer>> {
    return this.read('customers', request) as Promise<DeltaPage<Customer>>;
  }

  readItems(request: DeltaReadRequest): Promise<DeltaPage<Item>> {
    return this.read('items', request) as Promise<DeltaPage<Item>>;
  }

  readWarehouses(request: DeltaReadRequest): Promise<DeltaPage<Warehouse>> {
    return this.read('warehouses', request) as Promise<DeltaPage<Warehouse>>;
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }

  private async read(kind: MasterDataKind, request: DeltaReadRequest): Promise<DeltaPage<unknown>> {
    request.signal?.throwIfAborted();
    const queue = this.readAhead.get(kind) ?? [];
    this.readAhead.set(kind, queue);
    const head = queue.shift();
    let page: DeltaPage<unknown> | undefined;
    if (head && Date.now() - head.at < READ_AHEAD_TTL_MS) {
      // A read-ahead that failed is read again now: the hub should not pay for a guess.
      const read = await head.read.catch(() => null);
      if (read && read.key === keyOf(request)) page = read.page;
    }
    if (!page) {
      // The hub asked for something else (a new pass, a retry): what was read ahead is stale.
      queue.length = 0;
      page = await this.readNow(kind, request);
    }
    let last: Promise<AheadRead | null> = Promise.resolve({ key: '', request, page });
    if (queue.length > 0) last = queue[queue.length - 1].read;
    while (queue.length < READ_AHEAD_PAGES && !request.signal?.aborted) {
      const read = last.then((before) => {
        if (!before || before.page.nextCursor === null) return null;
        const next: DeltaReadRequest = { ...before.request, cursor: before.page.nextCursor };
        return this.readNow(kind, next).then((nextPage) => ({
          key: keyOf(next),
          request: next,
          page: nextPage,
        }));
      });
      read.catch(() => undefined);
      queue.push({ at: Date.now(), read });
      last = read;
    }
    return page;
  }

  private async readNow(
    kind: MasterDataKind,
    request: DeltaReadRequest,
  ): Promise<DeltaPage<unknown>> {
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isCloudCursor);
    const since: DeltaPosition | null = request.since
      ? { ms: sinceMs(request.since.modifiedAt), id: request.since.sourceId }
      : null;
    const context = kind === 'customers' ? await this.customerContext(request.signal) : null;
    const page = await this.readers[kind].readPassPage(
      since,
      cursor ? { position: { ms: cursor.m, id: cursor.s }, pass: cursor.p, seq: cursor.n } : null,
      request.pageSize,
      request.signal,
    );
    const next = page.next;
    // After the page's reads: they found out whether the custom pages are installed.
    const itemContext = { detailsPage: this.erp.customPageAvailable('itemDetails') };
    return {
      records: page.records.map((record) =>
        this.map(
          kind,
          record,
          context && { ...context, detailsPage: this.detailsPage() },
          itemContext,
        ),
      ),
      nextCursor: next
        ? encodeCursor<CloudCursor>({
            m: next.position.ms,
            s: next.position.id,
            p: next.pass,
            n: next.seq,
          })
        : null,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
      ...this.degraded(kind),
    };
  }

  /** The kind's custom pages found missing: what this sync could not read. */
  private degraded(kind: MasterDataKind): { degraded?: string[] } {
    const parts = { customers: CUSTOMER_PARTS, items: ITEM_PARTS, warehouses: WAREHOUSE_PARTS }[
      kind
    ];
    const off = this.erp.capabilitiesOffFor(
      parts.filter((p) => p.optional).map((p) => p.entitySet),
    );
    return off.length > 0 ? { degraded: off } : {};
  }

  private map(
    kind: MasterDataKind,
    record: CompositeRecord,
    context: CustomerMappingContext | null,
    itemContext: ItemMappingContext,
  ): DeltaEntry<unknown> {
    return mapOrReport<unknown>(record.id, modifiedAtOf(record), record.rows, () => {
      assertTimed(record);
      switch (kind) {
        case 'customers':
          return CloudMasterDataMapper.customer(record.rows, context as CustomerMappingContext);
        case 'items':
          return CloudMasterDataMapper.item(record.rows, itemContext);
        case 'warehouses':
          return CloudMasterDataMapper.warehouse(record.rows);
      }
    });
  }

  /** Whether customerDetails rows are expected (after this page's reads found the page or not). */
  private detailsPage(): boolean {
    return this.erp.customPageAvailable('customerDetails');
  }

  private async customerContext(signal?: AbortSignal): Promise<CustomerMappingContext> {
    if (!this.terms || Date.now() - this.terms.at > TERMS_TTL_MS) {
      const data = Promise.all([
        this.erp.all<{ id: string; code: string; dueDateCalculation: string }>(
          'standard',
          'paymentTerms',
          { select: ['id', 'code', 'dueDateCalculation'] },
          1000,
          signal,
        ),
        this.erp.all<{ id: string; code: string }>(
          'standard',
          'taxAreas',
          { select: ['id', 'code'] },
          1000,
          signal,
        ),
      ]).then(([terms, taxAreas]) => ({
        cashTerms: new Set(terms.filter(isDueAtOnce).map((t) => t.code)),
        paymentTermsById: new Map(terms.map((t) => [String(t.id).toLowerCase(), t.code])),
        taxAreasById: new Map(taxAreas.map((t) => [String(t.id).toLowerCase(), t.code])),
      }));
      this.terms = { at: Date.now(), data };
      data.catch(() => (this.terms = undefined));
    }
    return {
      ...(await this.terms.data),
      localCurrency: this.erp.localCurrency,
      detailsPage: this.detailsPage(),
    };
  }
}

/** A page read ahead (null: the pass ended before it). */
interface AheadRead {
  key: string;
  request: DeltaReadRequest;
  page: DeltaPage<unknown>;
}

interface AheadPage {
  at: number;
  read: Promise<AheadRead | null>;
}

/** BC date formulas: blank or zero days/weeks/months means due on the invoice date. */
function isDueAtOnce(terms: { dueDateCalculation: string }): boolean {
  return /^\s*(0\s*[DWMQY])?\s*$/i.test(terms.dueDateCalculation ?? '');
}

function keyOf(request: DeltaReadRequest): string {
  return JSON.stringify([request.since, request.cursor, request.pageSize]);
}

function sinceMs(modifiedAt: string): number {
  const ms = Date.parse(modifiedAt);
  if (Number.isNaN(ms)) throw new Error(`The hub's watermark ${modifiedAt} is not an instant.`);
  return ms;
}
