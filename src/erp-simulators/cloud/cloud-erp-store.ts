import { Decimal } from 'decimal.js';
import { randomUUID } from 'node:crypto';
import type {
  DemoContract,
  DemoCurrency,
  DemoCustomer,
  DemoDataset,
  DemoInventoryBalance,
  DemoItem,
  DemoItemGroup,
  DemoItemSubstitute,
  DemoItemUom,
  DemoPaymentTerms,
  DemoPriceList,
  DemoPromotion,
  DemoShipTo,
  DemoSupplier,
  DemoTaxArea,
  DemoTaxGroup,
  DemoUnitOfMeasure,
  DemoWarehouse,
} from '../demo-data/index.js';
import { BcError, bcErrors } from './bc-error.js';
import { EntityTable, SandboxClock, type TableRow } from './entity-table.js';
import type {
  SandboxAddress,
  SandboxSalesInvoice,
  SandboxSalesInvoiceLine,
  SandboxSalesOrder,
  SandboxSalesOrderLine,
  SandboxSalesShipment,
  SandboxSalesShipmentLine,
  SandboxShipmentConfirmation,
} from './sales-documents.js';
import { SalesPosting } from './sales-posting.js';

export interface SandboxItemUom extends DemoItemUom {
  itemId: string;
  sku: string;
}

export interface SandboxItemSubstitution extends DemoItemSubstitute {
  itemId: string;
  itemSku: string;
}

/** One row per price: the line's own price (minQty "0") and one per quantity break. */
export interface SandboxPriceListLine {
  priceListCode: string;
  sku: string;
  uomCode: string;
  minQty: string;
  unitPrice: string;
}

export type {
  SandboxAddress,
  SandboxSalesOrder,
  SandboxSalesOrderLine,
} from './sales-documents.js';

export interface SandboxTables {
  currencies: EntityTable<DemoCurrency>;
  paymentTerms: EntityTable<DemoPaymentTerms>;
  taxAreas: EntityTable<DemoTaxArea>;
  taxGroups: EntityTable<DemoTaxGroup>;
  unitsOfMeasure: EntityTable<DemoUnitOfMeasure>;
  warehouses: EntityTable<DemoWarehouse>;
  suppliers: EntityTable<DemoSupplier>;
  itemGroups: EntityTable<DemoItemGroup>;
  items: EntityTable<DemoItem>;
  itemUoms: EntityTable<SandboxItemUom>;
  itemSubstitutions: EntityTable<SandboxItemSubstitution>;
  customers: EntityTable<DemoCustomer>;
  shipTos: EntityTable<DemoShipTo>;
  priceLists: EntityTable<DemoPriceList>;
  priceListLines: EntityTable<SandboxPriceListLine>;
  contracts: EntityTable<DemoContract>;
  promotions: EntityTable<DemoPromotion>;
  balances: EntityTable<DemoInventoryBalance>;
  salesOrders: EntityTable<SandboxSalesOrder>;
  salesOrderLines: EntityTable<SandboxSalesOrderLine>;
  salesShipments: EntityTable<SandboxSalesShipment>;
  salesShipmentLines: EntityTable<SandboxSalesShipmentLine>;
  salesInvoices: EntityTable<SandboxSalesInvoice>;
  salesInvoiceLines: EntityTable<SandboxSalesInvoiceLine>;
  /** The crossdock fulfillment extension's staging table (shipmentConfirmations page). */
  shipmentConfirmations: EntityTable<SandboxShipmentConfirmation>;
}

export type SandboxTableName = keyof SandboxTables;

/** BC writes an empty relation as the all-zero GUID. */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/** String lengths of the BC fields the sandbox enforces (Code[35], Text[100], ...). */
const MAX_LENGTH: Record<string, number> = {
  externalDocumentNumber: 35,
  number: 20,
  shipToName: 100,
  shipToContact: 100,
  addressLine1: 100,
  addressLine2: 50,
  city: 30,
  state: 30,
  country: 10,
  postCode: 20,
  phoneNumber: 30,
  email: 80,
  salesperson: 20,
  description: 100,
  unitOfMeasureCode: 10,
  lineObjectNumber: 20,
  shortcutDimension1Code: 20,
  shortcutDimension2Code: 20,
};

const ADDRESS_PARTS = [
  'AddressLine1',
  'AddressLine2',
  'City',
  'Country',
  'State',
  'PostCode',
] as const;
const ORDER_WRITABLE = new Set([
  'number',
  'externalDocumentNumber',
  'orderDate',
  'postingDate',
  'customerId',
  'customerNumber',
  'customerName',
  'billToCustomerId',
  'billToCustomerNumber',
  'billToName',
  'shipToName',
  'shipToContact',
  ...ADDRESS_PARTS.flatMap((p) => [`sellTo${p}`, `billTo${p}`, `shipTo${p}`]),
  'currencyId',
  'currencyCode',
  'paymentTermsId',
  'shipmentMethodId',
  'salesperson',
  'partialShipping',
  'requestedDeliveryDate',
  'discountAmount',
  'discountAppliedBeforeTax',
  'fullyShipped',
  'status',
  'phoneNumber',
  'email',
  'shortcutDimension1Code',
  'shortcutDimension2Code',
]);
const ORDER_READ_ONLY = new Set([
  'id',
  'pricesIncludeTax',
  'totalAmountExcludingTax',
  'totalTaxAmount',
  'totalAmountIncludingTax',
  'lastModifiedDateTime',
]);
const LINE_WRITABLE = new Set([
  'documentId',
  'sequence',
  'itemId',
  'accountId',
  'lineType',
  'lineObjectNumber',
  'description',
  'unitOfMeasureId',
  'unitOfMeasureCode',
  'quantity',
  'unitPrice',
  'discountAmount',
  'discountPercent',
  'discountAppliedBeforeTax',
  'taxCode',
  'shipmentDate',
  'shipQuantity',
  'itemVariantId',
  'locationId',
]);
const LINE_READ_ONLY = new Set([
  'id',
  'amountExcludingTax',
  'taxPercent',
  'totalTaxAmount',
  'amountIncludingTax',
  'invoiceDiscountAllocation',
  'netAmount',
  'netTaxAmount',
  'netAmountIncludingTax',
  'shippedQuantity',
  'invoicedQuantity',
  'invoiceQuantity',
]);
/** PATCH may change these on an order (header fields the ERP lets a client edit). */
const ORDER_PATCHABLE = new Set([
  'externalDocumentNumber',
  'requestedDeliveryDate',
  'shipToName',
  'shipToContact',
  ...ADDRESS_PARTS.map((p) => `shipTo${p}`),
  'phoneNumber',
  'email',
  'partialShipping',
  'salesperson',
]);

/** Which table each public entity set reads, for admin mutations. */
export const ENTITY_SET_TABLES: Record<string, SandboxTableName> = {
  currencies: 'currencies',
  paymentTerms: 'paymentTerms',
  taxAreas: 'taxAreas',
  taxGroups: 'taxGroups',
  unitsOfMeasure: 'unitsOfMeasure',
  locations: 'warehouses',
  vendors: 'suppliers',
  itemCategories: 'itemGroups',
  items: 'items',
  itemDetails: 'items',
  itemUnitsOfMeasure: 'itemUoms',
  itemSubstitutions: 'itemSubstitutions',
  customers: 'customers',
  customerDetails: 'customers',
  shipToAddresses: 'shipTos',
  priceLists: 'priceLists',
  priceListLines: 'priceListLines',
  customerContracts: 'contracts',
  promotions: 'promotions',
  inventoryBalances: 'balances',
  salesOrders: 'salesOrders',
  salesOrderLines: 'salesOrderLines',
  salesShipments: 'salesShipments',
  salesInvoices: 'salesInvoices',
};

/** Sales documents: created by posting (or POST salesOrders), never through the admin insert. */
const SALES_DOCUMENT_TABLES = new Set<SandboxTableName>([
  'salesOrders',
  'salesOrderLines',
  'salesShipments',
  'salesShipmentLines',
  'salesInvoices',
  'salesInvoiceLines',
  'shipmentConfirmations',
]);

/**
 * The sandbox ERP's data: the demo dataset in tables keyed by the BC `id`, with natural-key
 * indexes, plus the sales documents clients create. Every write stamps lastModifiedDateTime
 * and a new row version (ETag).
 */
export class CloudErpStore {
  readonly company: { id: string; name: string; baseCurrencyCode: string };
  readonly tables: SandboxTables;
  /** What the ERP's users and its posting routines do with sales orders (ship, invoice, edit). */
  readonly posting: SalesPosting;
  private readonly byCode = new Map<string, Map<string, string>>();
  private readonly basePriceRow = new Map<string, string>();
  private inventoryCache: Map<string, Decimal> | null = null;
  private balancesBySku: Map<string, string[]> | null = null;
  private nextOrderNo = 100001;

  constructor(
    dataset: DemoDataset,
    readonly clock: SandboxClock,
  ) {
    this.company = { ...dataset.company };
    const table = <T>(name: string): EntityTable<T> => new EntityTable<T>(name, clock);
    this.tables = {
      currencies: table('currencies'),
      paymentTerms: table('paymentTerms'),
      taxAreas: table('taxAreas'),
      taxGroups: table('taxGroups'),
      unitsOfMeasure: table('unitsOfMeasure'),
      warehouses: table('warehouses'),
      suppliers: table('suppliers'),
      itemGroups: table('itemGroups'),
      items: table('items'),
      itemUoms: table('itemUoms'),
      itemSubstitutions: table('itemSubstitutions'),
      customers: table('customers'),
      shipTos: table('shipTos'),
      priceLists: table('priceLists'),
      priceListLines: table('priceListLines'),
      contracts: table('contracts'),
      promotions: table('promotions'),
      balances: table('balances'),
      salesOrders: table('salesOrders'),
      salesOrderLines: table('salesOrderLines'),
      salesShipments: table('salesShipments'),
      salesShipmentLines: table('salesShipmentLines'),
      salesInvoices: table('salesInvoices'),
      salesInvoiceLines: table('salesInvoiceLines'),
      shipmentConfirmations: table('shipmentConfirmations'),
    };
    this.posting = new SalesPosting(this);
    this.load(dataset);
  }

  private load(d: DemoDataset): void {
    const t = this.tables;
    const ms = (iso: string): number => Date.parse(iso);
    const add = <T extends { id: string; lastModified: string }>(
      table: EntityTable<T>,
      rows: T[],
      code: (r: T) => string,
    ): void => {
      const index = this.codeIndex(table.name);
      for (const r of rows) {
        table.insert(r.id, { ...r }, ms(r.lastModified));
        index.set(code(r), r.id);
      }
    };
    add(t.currencies, d.currencies, (r) => r.code);
    add(t.paymentTerms, d.paymentTerms, (r) => r.code);
    add(t.taxAreas, d.taxAreas, (r) => r.code);
    add(t.taxGroups, d.taxGroups, (r) => r.code);
    add(t.unitsOfMeasure, d.unitsOfMeasure, (r) => r.code);
    add(t.warehouses, d.warehouses, (r) => r.code);
    add(t.suppliers, d.suppliers, (r) => r.supplierNo);
    add(t.itemGroups, d.itemGroups, (r) => r.code);
    add(t.items, d.items, (r) => r.sku);
    for (const item of d.items) {
      const stamp = ms(item.lastModified);
      for (const uom of item.uoms) {
        t.itemUoms.insert(uom.id, { ...uom, itemId: item.id, sku: item.sku }, stamp);
      }
      for (const sub of item.substitutes) {
        t.itemSubstitutions.insert(sub.id, { ...sub, itemId: item.id, itemSku: item.sku }, stamp);
      }
    }
    add(t.customers, d.customers, (r) => r.customerNo);
    add(t.shipTos, d.shipTos, (r) => `${r.customerNo}|${r.code}`);
    add(t.priceLists, d.priceLists, (r) => r.code);
    for (const line of d.priceListLines) {
      const stamp = ms(line.lastModified);
      const base = { priceListCode: line.priceListCode, sku: line.sku, uomCode: line.uomCode };
      t.priceListLines.insert(line.id, { ...base, minQty: '0', unitPrice: line.unitPrice }, stamp);
      this.basePriceRow.set(`${line.priceListCode}|${line.sku}|${line.uomCode}`, line.id);
      for (const brk of line.breaks) {
        t.priceListLines.insert(
          brk.id,
          { ...base, minQty: brk.minQty, unitPrice: brk.unitPrice },
          stamp,
        );
      }
    }
    add(t.contracts, d.contracts, (r) => r.contractNo);
    add(t.promotions, d.promotions, (r) => r.code);
    add(t.balances, d.inventoryBalances, (r) => `${r.sku}|${r.warehouseCode}|${r.lotNo ?? ''}`);
  }

  private codeIndex(table: string): Map<string, string> {
    let index = this.byCode.get(table);
    if (!index) {
      index = new Map();
      this.byCode.set(table, index);
    }
    return index;
  }

  /** The id of a row by its natural key (code, number, sku, ...), if any. */
  idOf(table: SandboxTableName, code: string | null | undefined): string | null {
    if (code === null || code === undefined) return null;
    return this.byCode.get(this.tables[table].name)?.get(code) ?? null;
  }

  rowByCode<K extends SandboxTableName>(
    table: K,
    code: string | null | undefined,
  ): SandboxTables[K] extends EntityTable<infer T> ? TableRow<T> | undefined : never {
    const id = this.idOf(table, code);
    return (id ? this.tables[table].get(id) : undefined) as never;
  }

  /** Base price list price of one item UoM in a currency. */
  basePrice(currencyCode: string, sku: string, uomCode: string): string | null {
    const id = this.basePriceRow.get(`BASE-${currencyCode}|${sku}|${uomCode}`);
    return id ? (this.tables.priceListLines.get(id)?.data.unitPrice ?? null) : null;
  }

  /** Total on hand over every location and lot (BC's single `items.inventory` figure). */
  inventoryOf(sku: string): string {
    if (!this.inventoryCache) {
      const sums = new Map<string, Decimal>();
      for (const row of this.tables.balances.sorted()) {
        sums.set(row.data.sku, (sums.get(row.data.sku) ?? new Decimal(0)).plus(row.data.onHand));
      }
      this.inventoryCache = sums;
    }
    return (this.inventoryCache.get(sku) ?? new Decimal(0)).toString();
  }

  // ---- admin: simulate edits made in the ERP -----------------------------------------------

  /**
   * Changes fields of one record as an ERP user would: `entitySet` is a public entity set name
   * (customers, items, inventoryBalances, ...), `key` its id or natural key, `changes` uses the
   * demo dataset's field names (e.g. `{ creditLimit: "75000.00" }`). Stamps a new
   * lastModifiedDateTime and ETag.
   */
  mutate(entitySet: string, key: string, changes: Record<string, unknown>): TableRow<unknown> {
    const tableName = ENTITY_SET_TABLES[entitySet];
    if (!tableName) throw bcErrors.resourceNotFound(entitySet);
    const table = this.tables[tableName] as unknown as EntityTable<Record<string, unknown>>;
    const id = table.get(key) ? key.toLowerCase() : this.idOf(tableName, key);
    const row = id ? table.get(id) : undefined;
    if (!row) throw bcErrors.notFound(`${entitySet} record '${key}'`);
    for (const field of Object.keys(changes)) {
      if (!(field in row.data) || field === 'id') {
        throw bcErrors.badRequest(`'${field}' is not a field of ${entitySet} records.`);
      }
    }
    if (tableName === 'balances') this.inventoryCache = null;
    return table.update(row.id, (data) => Object.assign(data, changes));
  }

  /** Adds a record as if created in the ERP (`record` in the demo dataset's shape). */
  insert(entitySet: string, record: Record<string, unknown>): TableRow<unknown> {
    const tableName = ENTITY_SET_TABLES[entitySet];
    if (!tableName || SALES_DOCUMENT_TABLES.has(tableName)) {
      throw bcErrors.badRequest(
        `Records of '${entitySet}' cannot be inserted through the admin API.`,
      );
    }
    const id = typeof record.id === 'string' ? record.id.toLowerCase() : randomUUID();
    const table = this.tables[tableName] as unknown as EntityTable<Record<string, unknown>>;
    if (table.get(id))
      throw new BcError(
        400,
        'Internal_EntityWithSameKeyExists',
        `A record with id ${id} already exists.`,
      );
    const row = table.insert(id, { ...record, id });
    const code = naturalKey(tableName, record);
    if (code) this.codeIndex(table.name).set(code, id);
    if (tableName === 'balances') {
      this.inventoryCache = null;
      this.balancesBySku = null;
    }
    return row;
  }

  // ---- customers and ship-to addresses (master-data write-back) -----------------------------

  /** PATCH customers({id}) with If-Match: the contact properties a client may edit. */
  updateCustomer(
    id: string,
    body: Record<string, unknown>,
    ifMatch: string | undefined,
    etag: (row: TableRow<unknown>) => string,
  ): TableRow<DemoCustomer> {
    const row = this.requireCurrent(this.tables.customers, id, 'customer', ifMatch, etag);
    checkPatchable(body, CUSTOMER_PATCHABLE, 'customer');
    return this.tables.customers.update(row.id, (c) => {
      if (body.displayName !== undefined) c.name = stringField(body, 'displayName', c.name);
      if (body.email !== undefined) c.email = stringField(body, 'email', '');
      if (body.phoneNumber !== undefined) c.phone = stringField(body, 'phoneNumber', '');
    });
  }

  /** PATCH shipToAddresses({id}) (custom page) with If-Match. */
  updateShipTo(
    id: string,
    body: Record<string, unknown>,
    ifMatch: string | undefined,
    etag: (row: TableRow<unknown>) => string,
  ): TableRow<DemoShipTo> {
    const row = this.requireCurrent(this.tables.shipTos, id, 'shipToAddress', ifMatch, etag);
    checkPatchable(body, SHIP_TO_PATCHABLE, 'ship-to address');
    if (body.code !== undefined && body.code !== row.data.code) {
      throw new BcError(
        400,
        'BadRequest_InvalidOperation',
        'The code of a ship-to address cannot be changed.',
      );
    }
    return this.tables.shipTos.update(row.id, (t) => applyShipTo(t, body));
  }

  /** POST shipToAddresses (custom page): a new code for a customer. */
  createShipTo(body: Record<string, unknown>): TableRow<DemoShipTo> {
    checkPatchable(
      body,
      new Set([...SHIP_TO_PATCHABLE, 'customerId', 'customerNumber']),
      'ship-to address',
    );
    const customerId = stringField(body, 'customerId', '').toLowerCase();
    const customer = customerId
      ? this.tables.customers.get(customerId)
      : this.rowByCode('customers', stringField(body, 'customerNumber', ''));
    if (!customer)
      throw new BcError(400, 'Internal_RecordNotFound', 'The customer does not exist.');
    const code = stringField(body, 'code', '');
    if (code === '') {
      throw new BcError(400, 'BadRequest_RequiredParamNotProvided', 'A code must be provided.');
    }
    if (this.idOf('shipTos', `${customer.data.customerNo}|${code}`)) {
      throw new BcError(
        400,
        'Internal_EntityWithSameKeyExists',
        `The ship-to address ${code} of customer ${customer.data.customerNo} already exists.`,
      );
    }
    const record: DemoShipTo = {
      id: randomUUID(),
      customerNo: customer.data.customerNo,
      code,
      name: '',
      contact: null,
      phone: null,
      addressLine1: '',
      addressLine2: null,
      city: '',
      state: '',
      postalCode: '',
      country: '',
      taxAreaCode: null,
      taxExemptionNo: null,
      warehouseCode: '',
      isDefault: false,
      lastModified: '',
    };
    applyShipTo(record, body);
    return this.insert('shipToAddresses', { ...record }) as TableRow<DemoShipTo>;
  }

  /** A row whose ETag is the one the client sent (`*` matches any), as BC checks If-Match. */
  private requireCurrent<T>(
    table: EntityTable<T>,
    id: string,
    entityType: string,
    ifMatch: string | undefined,
    etag: (row: TableRow<unknown>) => string,
  ): TableRow<T> {
    const row = table.get(id);
    if (!row) throw bcErrors.notFound(entityType);
    checkIfMatch(row as TableRow<unknown>, ifMatch, etag);
    return row;
  }

  // ---- sales orders --------------------------------------------------------------------------

  /** POST salesOrders, with optional deep insert of salesOrderLines. */
  createSalesOrder(body: Record<string, unknown>): {
    order: TableRow<SandboxSalesOrder>;
    duplicateExternalDocumentNumber: boolean;
  } {
    checkProperties(body, ORDER_WRITABLE, ORDER_READ_ONLY, 'salesOrder', ['salesOrderLines']);
    const customer = this.resolveCustomer(body);
    if (customer.data.status !== 'ACTIVE') {
      throw new BcError(
        400,
        'Application_DialogException',
        `You cannot create this type of document when Customer ${customer.data.customerNo} is blocked with type All`,
      );
    }
    const c = customer.data;
    const billTo = c.parentCustomerNo ? this.rowByCode('customers', c.parentCustomerNo) : customer;
    const shipToDefault = this.tables.shipTos.find(
      (s) => s.customerNo === c.customerNo && s.isDefault,
    )?.data;
    const address = (a: {
      addressLine1: string;
      addressLine2: string | null;
      city: string;
      state: string;
      country: string;
      postalCode: string;
    }): SandboxAddress => ({
      addressLine1: a.addressLine1,
      addressLine2: a.addressLine2 ?? '',
      city: a.city,
      state: a.state,
      country: a.country,
      postCode: a.postalCode,
    });
    const shipToBase = shipToDefault ? address(shipToDefault) : address(c);
    const text = (field: string, fallback = ''): string => stringField(body, field, fallback);
    const number = text('number', `SO-${this.nextOrderNo}`);
    if (this.tables.salesOrders.find((o) => o.number === number)) {
      throw new BcError(
        400,
        'Internal_EntityWithSameKeyExists',
        `The record in table Sales Header already exists. Identification fields and values: Document Type='Order',No.='${number}'`,
      );
    }
    const externalDocumentNumber = text('externalDocumentNumber');
    const duplicate =
      externalDocumentNumber !== '' &&
      this.tables.salesOrders.find((o) => o.externalDocumentNumber === externalDocumentNumber) !==
        undefined;
    const today = this.clock.today();
    const shipTo: SandboxAddress = {
      addressLine1: text('shipToAddressLine1', shipToBase.addressLine1),
      addressLine2: text('shipToAddressLine2', shipToBase.addressLine2),
      city: text('shipToCity', shipToBase.city),
      state: text('shipToState', shipToBase.state),
      country: text('shipToCountry', shipToBase.country),
      postCode: text('shipToPostCode', shipToBase.postCode),
    };
    const id = randomUUID();
    const order: SandboxSalesOrder = {
      number,
      externalDocumentNumber,
      orderDate: dateField(body, 'orderDate') ?? today,
      postingDate: dateField(body, 'postingDate') ?? today,
      customerId: customer.id,
      customerNumber: c.customerNo,
      customerName: c.name,
      billToCustomerId: billTo?.id ?? customer.id,
      billToCustomerNumber: billTo?.data.customerNo ?? c.customerNo,
      billToName: billTo?.data.name ?? c.name,
      shipToName: text('shipToName', shipToDefault?.name ?? c.name),
      shipToContact: text('shipToContact', shipToDefault?.contact ?? ''),
      sellTo: address(c),
      billTo: address(billTo?.data ?? c),
      shipTo,
      currencyId: this.idOf('currencies', c.currencyCode) ?? EMPTY_GUID,
      currencyCode: c.currencyCode,
      paymentTermsId: this.idOf('paymentTerms', c.paymentTermsCode),
      shipmentMethodId: null,
      salesperson: text('salesperson', c.salespersonCode),
      partialShipping: body.partialShipping === undefined ? true : body.partialShipping === true,
      requestedDeliveryDate: dateField(body, 'requestedDeliveryDate'),
      discountAmount: decimalField(body, 'discountAmount') ?? '0',
      discountAppliedBeforeTax: body.discountAppliedBeforeTax === true,
      totalAmountExcludingTax: '0',
      totalTaxAmount: '0',
      totalAmountIncludingTax: '0',
      fullyShipped: false,
      status: 'Draft',
      phoneNumber: text('phoneNumber', c.phone),
      email: text('email', c.email),
      shortcutDimension1Code: text('shortcutDimension1Code'),
      shortcutDimension2Code: text('shortcutDimension2Code'),
      lineIds: [],
    };
    if (body.currencyCode !== undefined && body.currencyCode !== c.currencyCode) {
      throw new BcError(
        400,
        'Application_DialogException',
        `Currency Code must be equal to '${c.currencyCode}' in Sales Header: the customer's currency.`,
      );
    }
    const rawLines = body.salesOrderLines;
    if (rawLines !== undefined && !Array.isArray(rawLines)) {
      throw bcErrors.badRequest(`'salesOrderLines' must be a collection.`);
    }
    // Build every line before writing anything: a bad line rejects the whole deep insert.
    const lines = (rawLines ?? []).map((raw, index) =>
      this.buildLine(raw, id, (index + 1) * 10000, customer.data, today),
    );
    // The number series advances only when an order is really created.
    if (body.number === undefined) this.nextOrderNo++;
    const stored = this.tables.salesOrders.insert(id, order);
    for (const line of lines) this.addLine(stored, line);
    this.recalculate(stored);
    return { order: stored, duplicateExternalDocumentNumber: duplicate };
  }

  private resolveCustomer(body: Record<string, unknown>): TableRow<DemoCustomer> {
    const customerId = typeof body.customerId === 'string' ? body.customerId : undefined;
    const customerNumber =
      typeof body.customerNumber === 'string' ? body.customerNumber : undefined;
    if (!customerId && !customerNumber) {
      throw new BcError(
        400,
        'BadRequest_RequiredParamNotProvided',
        'A customerNumber or a customerID must be provided.',
      );
    }
    if (customerId) {
      const row = this.tables.customers.get(customerId);
      if (!row)
        throw new BcError(
          400,
          'Internal_RecordNotFound',
          `The customer does not exist. Identification fields and values: Id='${customerId}'`,
        );
      return row;
    }
    const row = this.rowByCode('customers', customerNumber);
    if (!row) {
      throw new BcError(
        400,
        'Internal_InvalidTableRelation',
        `The field Sell-to Customer No. of table Sales Header contains a value (${customerNumber}) that cannot be found in the related table (Customer).`,
      );
    }
    return row;
  }

  private buildLine(
    raw: unknown,
    documentId: string,
    defaultSequence: number,
    customer: DemoCustomer,
    today: string,
  ): SandboxSalesOrderLine {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw bcErrors.badRequest('Each salesOrderLine must be an object.');
    }
    const body = raw as Record<string, unknown>;
    checkProperties(body, LINE_WRITABLE, LINE_READ_ONLY, 'salesOrderLine');
    const lineType = stringField(body, 'lineType', 'Item');
    if (lineType !== 'Item') {
      throw new BcError(
        400,
        'BadRequest_InvalidOperation',
        `The sandbox accepts only lines of type Item, not '${lineType}'.`,
      );
    }
    let item: TableRow<DemoItem> | undefined;
    if (typeof body.itemId === 'string' && body.itemId !== EMPTY_GUID) {
      item = this.tables.items.get(body.itemId);
      if (!item)
        throw new BcError(
          400,
          'Internal_RecordNotFound',
          `The item does not exist. Identification fields and values: Id='${body.itemId}'`,
        );
    } else if (typeof body.lineObjectNumber === 'string') {
      item = this.rowByCode('items', body.lineObjectNumber);
      if (!item) {
        throw new BcError(
          400,
          'Internal_InvalidTableRelation',
          `The field No. of table Sales Line contains a value (${body.lineObjectNumber}) that cannot be found in the related table (Item).`,
        );
      }
    } else {
      throw new BcError(
        400,
        'BadRequest_RequiredParamNotProvided',
        'An itemId or a lineObjectNumber must be provided.',
      );
    }
    const it = item.data;
    if (it.status === 'BLOCKED') {
      throw new BcError(
        400,
        'Application_DialogException',
        `Blocked must be equal to 'No'  in Item: No.=${it.sku}. Current value is 'Yes'.`,
      );
    }
    let uomCode = stringField(body, 'unitOfMeasureCode', '');
    if (!uomCode && typeof body.unitOfMeasureId === 'string') {
      uomCode = this.tables.unitsOfMeasure.get(body.unitOfMeasureId)?.data.code ?? '';
      if (!uomCode)
        throw new BcError(
          400,
          'Internal_RecordNotFound',
          `The unit of measure does not exist. Identification fields and values: Id='${body.unitOfMeasureId}'`,
        );
    }
    uomCode ||= it.baseUom;
    const uom = it.uoms.find((u) => u.uomCode === uomCode);
    if (!uom) {
      throw new BcError(
        400,
        'Internal_InvalidTableRelation',
        `The field Unit of Measure Code of table Sales Line contains a value (${uomCode}) that cannot be found in the related table (Item Unit of Measure).`,
      );
    }
    let location: TableRow<DemoWarehouse> | undefined;
    if (typeof body.locationId === 'string' && body.locationId !== EMPTY_GUID) {
      location = this.tables.warehouses.get(body.locationId.toLowerCase());
      if (!location)
        throw new BcError(
          400,
          'Internal_RecordNotFound',
          `The location does not exist. Identification fields and values: Id='${body.locationId}'`,
        );
    } else if (
      body.locationId !== undefined &&
      body.locationId !== null &&
      body.locationId !== EMPTY_GUID
    ) {
      throw bcErrors.badRequest(`Cannot convert the value of 'locationId' to Edm.Guid.`);
    }
    const quantity = decimalField(body, 'quantity') ?? '0';
    if (new Decimal(quantity).isNegative()) {
      throw new BcError(400, 'Application_DialogException', 'Quantity must be positive.');
    }
    const priced =
      decimalField(body, 'unitPrice') ??
      this.basePrice(customer.currencyCode, it.sku, uomCode) ??
      new Decimal(this.basePrice('USD', it.sku, it.baseUom) ?? it.unitCost)
        .mul(uom.factor)
        .toFixed(2);
    const taxArea = this.rowByCode('taxAreas', customer.taxAreaCode);
    const taxPercent =
      customer.taxLiable && it.taxClass === 'TAXABLE' && taxArea ? taxArea.data.ratePercent : '0';
    return {
      documentId,
      sequence: typeof body.sequence === 'number' ? body.sequence : defaultSequence,
      itemId: item.id,
      lineType: 'Item',
      lineObjectNumber: it.sku,
      description: stringField(body, 'description', it.description),
      unitOfMeasureId: this.idOf('unitsOfMeasure', uomCode) ?? EMPTY_GUID,
      unitOfMeasureCode: uomCode,
      quantity,
      unitPrice: priced,
      discountAmount: decimalField(body, 'discountAmount') ?? '0',
      discountPercent: decimalField(body, 'discountPercent') ?? '0',
      discountAppliedBeforeTax: body.discountAppliedBeforeTax === true,
      amountExcludingTax: '0',
      taxCode: stringField(body, 'taxCode', it.taxClass),
      taxPercent,
      totalTaxAmount: '0',
      amountIncludingTax: '0',
      shipmentDate: dateField(body, 'shipmentDate') ?? today,
      shippedQuantity: '0',
      invoicedQuantity: '0',
      invoiceQuantity: '0',
      shipQuantity: decimalField(body, 'shipQuantity') ?? quantity,
      locationId: location?.id ?? null,
      allocation: this.allocationFor(
        it,
        uom,
        quantity,
        location?.data.code ?? customer.defaultWarehouseCode,
      ),
    };
  }

  /** Stock items allocate at the line's location (else the customer's), earliest-expiring lot first. */
  private allocationFor(
    item: DemoItem,
    uom: DemoItemUom,
    quantity: string,
    location: string,
  ): SandboxSalesOrderLine['allocation'] {
    if (item.fulfillmentType !== 'STOCK') return null;
    if (!this.balancesBySku) {
      this.balancesBySku = new Map();
      for (const row of this.tables.balances.sorted()) {
        const ids = this.balancesBySku.get(row.data.sku) ?? [];
        ids.push(row.id);
        this.balancesBySku.set(row.data.sku, ids);
      }
    }
    let best: TableRow<DemoInventoryBalance> | undefined;
    for (const id of this.balancesBySku.get(item.sku) ?? []) {
      const row = this.tables.balances.get(id);
      if (!row) continue;
      const b = row.data;
      if (b.warehouseCode !== location) continue;
      if (!best || (b.expiryDate ?? '') < (best.data.expiryDate ?? '')) best = row;
    }
    if (!best) return null;
    return { balanceId: best.id, baseQuantity: new Decimal(quantity).mul(uom.factor).toString() };
  }

  private addLine(order: TableRow<SandboxSalesOrder>, line: SandboxSalesOrderLine): void {
    const id = randomUUID();
    this.tables.salesOrderLines.insert(id, line, order.modifiedMs);
    order.data.lineIds.push(id);
    if (line.allocation)
      this.allocate(line.allocation.balanceId, new Decimal(line.allocation.baseQuantity));
  }

  private allocate(balanceId: string, delta: Decimal): void {
    this.adjustAllocation(balanceId, delta);
  }

  /** Changes a balance's allocated (and on-hand, when stock leaves) quantity, in base units. */
  adjustAllocation(balanceId: string, allocated: Decimal, onHand?: Decimal): void {
    if (!this.tables.balances.get(balanceId)) return;
    this.tables.balances.update(balanceId, (b) => {
      b.allocated = Decimal.max(0, new Decimal(b.allocated).plus(allocated)).toString();
      if (onHand) b.onHand = new Decimal(b.onHand).plus(onHand).toString();
    });
    if (onHand) this.inventoryCache = null;
  }

  /** Line amounts, tax and header totals, rounded to cents. */
  recalculate(order: TableRow<SandboxSalesOrder>): void {
    let excl = new Decimal(0);
    let tax = new Decimal(0);
    for (const lineId of order.data.lineIds) {
      const line = this.tables.salesOrderLines.get(lineId)?.data;
      if (!line) continue;
      const gross = new Decimal(line.quantity).mul(line.unitPrice);
      const amount = gross
        .minus(gross.mul(line.discountPercent).div(100))
        .minus(line.discountAmount)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const lineTax = amount
        .mul(line.taxPercent)
        .div(100)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      line.amountExcludingTax = amount.toFixed(2);
      line.totalTaxAmount = lineTax.toFixed(2);
      line.amountIncludingTax = amount.plus(lineTax).toFixed(2);
      excl = excl.plus(amount);
      tax = tax.plus(lineTax);
    }
    excl = excl.minus(order.data.discountAmount);
    order.data.totalAmountExcludingTax = excl.toFixed(2);
    order.data.totalTaxAmount = tax.toFixed(2);
    order.data.totalAmountIncludingTax = excl.plus(tax).toFixed(2);
  }

  /** PATCH salesOrders({id}) with If-Match. */
  updateSalesOrder(
    id: string,
    body: Record<string, unknown>,
    ifMatch: string | undefined,
    etag: (row: TableRow<unknown>) => string,
  ): TableRow<SandboxSalesOrder> {
    const row = this.requireOrder(id, ifMatch, etag);
    for (const field of Object.keys(body)) {
      if (field.startsWith('@odata.')) continue;
      if (!ORDER_PATCHABLE.has(field)) {
        throw new BcError(
          400,
          'BadRequest_InvalidOperation',
          `The property '${field}' cannot be changed on a sales order through this API.`,
        );
      }
    }
    return this.tables.salesOrders.update(row.id, (o) => {
      if (body.externalDocumentNumber !== undefined)
        o.externalDocumentNumber = stringField(body, 'externalDocumentNumber', '');
      if (body.requestedDeliveryDate !== undefined)
        o.requestedDeliveryDate = dateField(body, 'requestedDeliveryDate');
      if (body.shipToName !== undefined) o.shipToName = stringField(body, 'shipToName', '');
      if (body.shipToContact !== undefined)
        o.shipToContact = stringField(body, 'shipToContact', '');
      if (body.phoneNumber !== undefined) o.phoneNumber = stringField(body, 'phoneNumber', '');
      if (body.email !== undefined) o.email = stringField(body, 'email', '');
      if (body.salesperson !== undefined) o.salesperson = stringField(body, 'salesperson', '');
      if (body.partialShipping !== undefined) o.partialShipping = body.partialShipping === true;
      const keys: Record<(typeof ADDRESS_PARTS)[number], keyof SandboxAddress> = {
        AddressLine1: 'addressLine1',
        AddressLine2: 'addressLine2',
        City: 'city',
        Country: 'country',
        State: 'state',
        PostCode: 'postCode',
      };
      for (const part of ADDRESS_PARTS) {
        if (body[`shipTo${part}`] !== undefined)
          o.shipTo[keys[part]] = stringField(body, `shipTo${part}`, '');
      }
    });
  }

  /** DELETE salesOrders({id}) with If-Match: removes the order and releases its allocations. */
  deleteSalesOrder(
    id: string,
    ifMatch: string | undefined,
    etag: (row: TableRow<unknown>) => string,
  ): void {
    const row = this.requireOrder(id, ifMatch, etag);
    // BC's Sales Line OnDelete: TestField("Qty. Shipped Not Invoiced", 0).
    for (const lineId of row.data.lineIds) {
      const line = this.tables.salesOrderLines.get(lineId)?.data;
      if (line && new Decimal(line.shippedQuantity).greaterThan(line.invoicedQuantity)) {
        throw new BcError(
          400,
          'Application_DialogException',
          `Qty. Shipped Not Invoiced must be equal to '0'  in Sales Line: Document Type=Order, Document No.=${row.data.number}, Line No.=${line.sequence}. Current value is '${new Decimal(line.shippedQuantity).minus(line.invoicedQuantity).toString()}'.`,
        );
      }
    }
    for (const lineId of row.data.lineIds) {
      const line = this.tables.salesOrderLines.get(lineId)?.data;
      if (line?.allocation)
        this.allocate(line.allocation.balanceId, new Decimal(line.allocation.baseQuantity).neg());
      this.tables.salesOrderLines.delete(lineId);
    }
    this.tables.salesOrders.delete(row.id);
  }

  private requireOrder(
    id: string,
    ifMatch: string | undefined,
    etag: (row: TableRow<unknown>) => string,
  ): TableRow<SandboxSalesOrder> {
    const row = this.tables.salesOrders.get(id);
    if (!row) throw bcErrors.notFound('salesOrder');
    checkIfMatch(row as TableRow<unknown>, ifMatch, etag);
    return row;
  }
}

function naturalKey(table: SandboxTableName, r: Record<string, unknown>): string | null {
  const s = (k: string): string => String(r[k] ?? '');
  switch (table) {
    case 'suppliers':
      return s('supplierNo');
    case 'items':
      return s('sku');
    case 'customers':
      return s('customerNo');
    case 'contracts':
      return s('contractNo');
    case 'shipTos':
      return `${s('customerNo')}|${s('code')}`;
    case 'balances':
      return `${s('sku')}|${s('warehouseCode')}|${s('lotNo')}`;
    case 'itemUoms':
    case 'itemSubstitutions':
    case 'priceListLines':
      return null;
    default:
      return s('code') || null;
  }
}

function checkProperties(
  body: Record<string, unknown>,
  writable: Set<string>,
  readOnly: Set<string>,
  entityType: string,
  navigation: string[] = [],
): void {
  for (const [field, value] of Object.entries(body)) {
    if (field.startsWith('@odata.') || navigation.includes(field)) continue;
    if (readOnly.has(field)) {
      throw new BcError(
        400,
        'BadRequest_InvalidOperation',
        `The property '${field}' is read-only and cannot be set.`,
      );
    }
    if (!writable.has(field)) {
      throw bcErrors.badRequest(
        `The property '${field}' does not exist on type 'Microsoft.NAV.${entityType}'. Make sure to only use property names that are defined by the type.`,
      );
    }
    const max =
      MAX_LENGTH[field] ??
      MAX_LENGTH[
        field.replace(/^(sellTo|billTo|shipTo)/, '').replace(/^./, (c) => c.toLowerCase())
      ];
    if (typeof value === 'string' && max !== undefined && value.length > max) {
      throw new BcError(
        400,
        'Application_StringExceededLength',
        `The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}`,
      );
    }
  }
}

/**
 * BC's optimistic concurrency: PATCH/DELETE need If-Match (400 BadRequest_InvalidToken without);
 * a tag that is not the row's current one is 412 Precondition Failed, Request_EntityChanged.
 */
function checkIfMatch(
  row: TableRow<unknown>,
  ifMatch: string | undefined,
  etag: (row: TableRow<unknown>) => string,
): void {
  if (!ifMatch) {
    throw new BcError(
      400,
      'BadRequest_InvalidToken',
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
    );
  }
  if (ifMatch.trim() !== '*' && ifMatch.trim() !== etag(row)) {
    throw new BcError(412, 'Request_EntityChanged', 'Another user has already changed the record.');
  }
}

/** PATCH may change these on a customer (contact data a client edits). */
const CUSTOMER_PATCHABLE = new Set(['displayName', 'email', 'phoneNumber']);
/** PATCH/POST may set these on a ship-to address (custom page). */
const SHIP_TO_PATCHABLE = new Set([
  'code',
  'name',
  'contact',
  'phoneNumber',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'country',
  'postalCode',
  'taxAreaCode',
  'locationCode',
]);

function checkPatchable(body: Record<string, unknown>, allowed: Set<string>, what: string): void {
  for (const field of Object.keys(body)) {
    if (field.startsWith('@odata.')) continue;
    if (!allowed.has(field)) {
      throw new BcError(
        400,
        'BadRequest_InvalidOperation',
        `The property '${field}' cannot be changed on a ${what} through this API.`,
      );
    }
  }
}

function applyShipTo(t: DemoShipTo, body: Record<string, unknown>): void {
  const optional = (field: string): string | null | undefined =>
    body[field] === undefined ? undefined : stringField(body, field, '') || null;
  if (body.name !== undefined) t.name = stringField(body, 'name', '');
  const contact = optional('contact');
  if (contact !== undefined) t.contact = contact;
  const phone = optional('phoneNumber');
  if (phone !== undefined) t.phone = phone;
  if (body.addressLine1 !== undefined) t.addressLine1 = stringField(body, 'addressLine1', '');
  const line2 = optional('addressLine2');
  if (line2 !== undefined) t.addressLine2 = line2;
  if (body.city !== undefined) t.city = stringField(body, 'city', '');
  if (body.state !== undefined) t.state = stringField(body, 'state', '');
  if (body.country !== undefined) t.country = stringField(body, 'country', '');
  if (body.postalCode !== undefined) t.postalCode = stringField(body, 'postalCode', '');
  const taxArea = optional('taxAreaCode');
  if (taxArea !== undefined) t.taxAreaCode = taxArea;
  if (body.locationCode !== undefined) t.warehouseCode = stringField(body, 'locationCode', '');
}

function stringField(body: Record<string, unknown>, field: string, fallback: string): string {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string')
    throw bcErrors.badRequest(`Cannot convert the value of '${field}' to Edm.String.`);
  return value;
}

/** Decimals arrive as JSON numbers, or as strings from IEEE754Compatible clients. */
function decimalField(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  if (!/^-?\d+(\.\d+)?$/.test(text)) {
    throw bcErrors.badRequest(
      `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Decimal'.`,
    );
  }
  return text;
}

function dateField(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null || value === '0001-01-01') return null;
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw bcErrors.badRequest(
      `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Date'.`,
    );
  }
  return value;
}
