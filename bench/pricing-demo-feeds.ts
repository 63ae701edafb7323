/*
 * The demo dataset (src/erp-simulators/demo-data) served as in-memory ERP feeds for the pricing
 * benchmark: master data through a MasterDataFeed, prices through a PriceDataFeed, mapped to the
 * canonical records the way the ERP adapters map their rows. One pass, keyset-paged by index.
 */
import type { DemoDataset, DemoShipTo } from '../src/erp-simulators/demo-data/index.js';
import {
  type Customer,
  type Item,
  MasterDataFeed,
  type Warehouse,
} from '../src/modules/master-data/index.js';
import {
  type Contract,
  PriceDataFeed,
  type PriceList,
  type PriceListEntry,
  type Promotion,
} from '../src/modules/pricing/index.js';
import type { DeltaPage, DeltaReadRequest } from '../src/platform/delta-sync/index.js';

const MODIFIED_AT = '2025-01-06T08:00:00.000Z';

function page<T>(
  records: T[],
  request: { cursor: string | null; pageSize: number; since: unknown },
) {
  const from = request.cursor ? Number(request.cursor) : 0;
  const slice = request.since ? [] : records.slice(from, from + request.pageSize);
  const next = from + slice.length;
  return {
    records: slice.map((record, i) => ({
      sourceId: String(from + i).padStart(8, '0'),
      modifiedAt: MODIFIED_AT,
      record,
    })),
    nextCursor: slice.length > 0 && next < records.length ? String(next) : null,
    totalEstimate: records.length,
  };
}

export function demoItems(dataset: DemoDataset): Item[] {
  return dataset.items.map((i) => ({
    sku: i.sku,
    description: i.description,
    baseUom: i.baseUom,
    uomConversions: i.uoms.map((u) => ({ uom: u.uomCode, factor: u.factor })),
    itemGroup: i.itemGroupCode,
    status: i.status,
    fulfillmentType: i.fulfillmentType,
    supplierId: i.supplierNo,
    lotControlled: i.lotControlled,
    substitutes: i.substitutes.map((s) => s.sku),
    gtin: i.gtin,
    taxGroupCode: i.taxGroupCode,
  }));
}

export function demoCustomers(dataset: DemoDataset): Customer[] {
  const shipTos = new Map<string, DemoShipTo[]>();
  for (const s of dataset.shipTos)
    shipTos.set(s.customerNo, [...(shipTos.get(s.customerNo) ?? []), s]);
  return dataset.customers.map((c) => ({
    erpId: c.customerNo,
    name: c.name,
    parentErpId: c.parentCustomerNo,
    status: c.status,
    creditLimit: c.creditLimit,
    balanceDue: c.balanceDue,
    paymentTerms: c.paymentTermsCode,
    currency: c.currencyCode,
    taxAreaCode: c.taxAreaCode,
    taxExemptionNumber: c.taxExemptionNo,
    taxLiable: c.taxLiable,
    email: c.email,
    phone: c.phone,
    website: c.website,
    address: {
      addressLines: [c.addressLine1, c.addressLine2].filter((l): l is string => l !== null),
      city: c.city,
      region: c.state,
      postalCode: c.postalCode,
      country: c.country,
    },
    shipTos: (shipTos.get(c.customerNo) ?? []).map((s) => ({
      code: s.code,
      name: s.name,
      addressLines: [s.addressLine1, s.addressLine2].filter((l): l is string => l !== null),
      city: s.city,
      region: s.state,
      postalCode: s.postalCode,
      country: s.country,
      defaultWarehouseCode: s.warehouseCode,
      taxAreaCode: s.taxAreaCode,
    })),
  }));
}

export class DemoMasterDataFeed extends MasterDataFeed {
  readonly name = 'bench-demo-erp';
  private readonly items: Item[];
  private readonly customers: Customer[];

  constructor(dataset: DemoDataset) {
    super();
    this.items = demoItems(dataset);
    this.customers = demoCustomers(dataset);
  }

  readCustomers(request: DeltaReadRequest): Promise<DeltaPage<Customer>> {
    return Promise.resolve(page(this.customers, request));
  }

  readItems(request: DeltaReadRequest): Promise<DeltaPage<Item>> {
    return Promise.resolve(page(this.items, request));
  }

  readWarehouses(): Promise<DeltaPage<Warehouse>> {
    return Promise.resolve({ records: [], nextCursor: null });
  }

  healthCheck(): Promise<{ up: boolean }> {
    return Promise.resolve({ up: true });
  }
}

export class DemoPriceDataFeed extends PriceDataFeed {
  readonly name = 'bench-demo-erp';
  readonly priceLists: PriceList[];
  readonly entries: PriceListEntry[];
  readonly contracts: Contract[];
  readonly promotions: Promotion[];

  constructor(dataset: DemoDataset) {
    super();
    this.priceLists = dataset.priceLists.map((l) => ({
      code: l.code,
      description: l.description,
      type: l.type,
      currency: l.currencyCode,
      customerId: l.customerNo,
      validFrom: l.validFrom,
      validTo: l.validTo,
      active: true,
    }));
    this.entries = dataset.priceListLines.flatMap((line) => [
      {
        priceListCode: line.priceListCode,
        sku: line.sku,
        uom: line.uomCode,
        minQuantity: '0',
        unitPrice: line.unitPrice,
      },
      ...line.breaks.map((b) => ({
        priceListCode: line.priceListCode,
        sku: line.sku,
        uom: line.uomCode,
        minQuantity: b.minQty,
        unitPrice: b.unitPrice,
      })),
    ]);
    this.contracts = dataset.contracts.map((c) => ({
      contractNo: c.contractNo,
      description: c.description,
      customerId: c.customerNo,
      sku: c.sku,
      itemGroup: c.itemGroupCode,
      priceType: c.priceType,
      fixedPrice: c.fixedPrice,
      uom: c.uomCode,
      currency: c.currencyCode,
      discountPercent: c.discountPercent,
      minQuantity: c.minQty,
      validFrom: c.validFrom,
      validTo: c.validTo,
    }));
    this.promotions = dataset.promotions.map((p) => ({
      code: p.code,
      description: p.description,
      discountType: p.discountType,
      discountPercent: p.discountPercent,
      discountAmount: p.discountAmount,
      fixedPrice: null,
      currency: p.currencyCode,
      minQuantity: p.minQty,
      validFrom: p.validFrom,
      validTo: p.validTo,
      active: p.status === 'ACTIVE',
      requiresCode: false,
      stackable: false,
      priority: 0,
      items: p.scopes.filter((s) => s.type === 'ITEM').map((s) => s.code),
      itemGroups: p.scopes.filter((s) => s.type === 'ITEM_GROUP').map((s) => s.code),
      customers: p.scopes.filter((s) => s.type === 'CUSTOMER').map((s) => s.code),
      channels: [],
    }));
  }

  readPriceLists(request: DeltaReadRequest): Promise<DeltaPage<PriceList>> {
    return Promise.resolve(page(this.priceLists, request));
  }

  readPriceListEntries(request: DeltaReadRequest): Promise<DeltaPage<PriceListEntry>> {
    return Promise.resolve(page(this.entries, request));
  }

  readContracts(request: DeltaReadRequest): Promise<DeltaPage<Contract>> {
    return Promise.resolve(page(this.contracts, request));
  }

  readPromotions(request: DeltaReadRequest): Promise<DeltaPage<Promotion>> {
    return Promise.resolve(page(this.promotions, request));
  }

  healthCheck(): Promise<{ up: boolean }> {
    return Promise.resolve({ up: true });
  }
}
