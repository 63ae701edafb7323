import type {
  DemoContract,
  DemoCurrency,
  DemoCustomer,
  DemoInventoryBalance,
  DemoItem,
  DemoItemGroup,
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
import { BcDecimal, type BcJsonValue } from './bc-json.js';
import {
  EMPTY_GUID,
  type CloudErpStore,
  type SandboxAddress,
  type SandboxItemSubstitution,
  type SandboxItemUom,
  type SandboxPriceListLine,
  type SandboxSalesOrder,
  type SandboxSalesOrderLine,
  type SandboxTableName,
} from './cloud-erp-store.js';
import type { TableRow } from './entity-table.js';
import type {
  SandboxSalesInvoice,
  SandboxSalesInvoiceLine,
  SandboxSalesShipment,
  SandboxSalesShipmentLine,
  SandboxShipmentConfirmation,
} from './sales-documents.js';
import type { FieldType } from './odata-filter.js';

/** v2.0: standard API; custom: /api/crossdock/erp/v1.0; fulfillment: /api/crossdock/fulfillment/v1.0. */
export type ApiRoute = 'v2.0' | 'custom' | 'fulfillment';

export interface FieldDef<T> {
  type: FieldType;
  get: (data: T, row: TableRow<T>, store: CloudErpStore) => unknown;
}

/** One entity set: where its rows live and how a row reads as a BC entity. */
export interface EntityView<T = unknown> {
  name: string;
  route: ApiRoute;
  /** `Microsoft.NAV.<entityType>` in messages. */
  entityType: string;
  table: SandboxTableName;
  fields: Record<string, FieldDef<T>>;
  /** Row filter for views over part of a table (none today; kept for custom pages). */
  include?: (data: T) => boolean;
}

/** The sandbox company's local currency (LCY): BC writes its code blank on customers, prices. */
export const SANDBOX_LOCAL_CURRENCY = 'USD';

/** A currency code as BC writes it: `""` for the local currency. */
function bcCurrencyCode(code: string | null | undefined): string {
  return code === SANDBOX_LOCAL_CURRENCY ? '' : (code ?? '');
}

/** BC never writes null for these types: blank values read as '', 0, false, the zero GUID, 0001-01-01. */
const BLANK: Record<FieldType, unknown> = {
  string: '',
  guid: EMPTY_GUID,
  decimal: '0',
  int: 0,
  boolean: false,
  datetime: '0001-01-01T00:00:00Z',
  date: '0001-01-01',
  json: null,
};

/** The value of one property as BC JSON (decimals wrapped for the serializer). */
export function readField<T>(
  view: EntityView<T>,
  row: TableRow<T>,
  field: string,
  store: CloudErpStore,
): unknown {
  const def = view.fields[field];
  const raw = def.get(row.data, row, store);
  const value = raw === null || raw === undefined ? BLANK[def.type] : raw;
  return def.type === 'decimal' ? new BcDecimal(String(value)) : value;
}

export function projectEntity<T>(
  view: EntityView<T>,
  row: TableRow<T>,
  store: CloudErpStore,
  select?: string[],
): Record<string, BcJsonValue> {
  const out: Record<string, BcJsonValue> = { '@odata.etag': etagOf(row) };
  for (const field of select ?? Object.keys(view.fields)) {
    out[field] = readField(view, row, field, store) as BcJsonValue;
  }
  return out;
}

/**
 * A weak ETag from the row version, in BC's style: `W/"JzE5OzEyMzQ1OzAwOyc="`, the base64 of
 * `'<length>;<rowversion>;00;'`. Changes whenever the row changes.
 */
export function etagOf(row: { version: number }): string {
  const version = String(row.version).padStart(19, '0');
  return `W/"${Buffer.from(`'${version.length};${version};00;'`).toString('base64')}"`;
}

const f = {
  string: <T>(get: FieldDef<T>['get']): FieldDef<T> => ({ type: 'string', get }),
  guid: <T>(get: FieldDef<T>['get']): FieldDef<T> => ({ type: 'guid', get }),
  decimal: <T>(get: FieldDef<T>['get']): FieldDef<T> => ({ type: 'decimal', get }),
  int: <T>(get: FieldDef<T>['get']): FieldDef<T> => ({ type: 'int', get }),
  boolean: <T>(get: FieldDef<T>['get']): FieldDef<T> => ({ type: 'boolean', get }),
  date: <T>(get: FieldDef<T>['get']): FieldDef<T> => ({ type: 'date', get }),
  json: <T>(get: FieldDef<T>['get']): FieldDef<T> => ({ type: 'json', get }),
};

const id = <T>(): FieldDef<T> => f.guid((_d, row) => row.id);
const lastModified = <T>(): FieldDef<T> => ({
  type: 'datetime',
  get: (_d, row) => new Date(row.modifiedMs).toISOString(),
});

function view<T>(v: EntityView<T>): EntityView<unknown> {
  return v as unknown as EntityView<unknown>;
}

type Addressed = {
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  state: string;
  country: string;
  postalCode: string;
};

function addressFields<T extends Addressed>(): Record<string, FieldDef<T>> {
  return {
    addressLine1: f.string((d) => d.addressLine1),
    addressLine2: f.string((d) => d.addressLine2),
    city: f.string((d) => d.city),
    state: f.string((d) => d.state),
    country: f.string((d) => d.country),
    postalCode: f.string((d) => d.postalCode),
  };
}

const title = (upper: string): string =>
  upper
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');

/** Every entity set the sandbox serves, standard v2.0 first, then the custom API pages. */
export const ENTITY_VIEWS: EntityView<unknown>[] = [
  // ---- standard API v2.0 ------------------------------------------------------------------
  view<DemoCustomer>({
    name: 'customers',
    route: 'v2.0',
    entityType: 'customer',
    table: 'customers',
    fields: {
      id: id(),
      number: f.string((d) => d.customerNo),
      displayName: f.string((d) => d.name),
      type: f.string(() => 'Company'),
      ...addressFields(),
      phoneNumber: f.string((d) => d.phone),
      email: f.string((d) => d.email),
      website: f.string((d) => d.website),
      salespersonCode: f.string((d) => d.salespersonCode),
      balanceDue: f.decimal((d) => d.balanceDue),
      creditLimit: f.decimal((d) => d.creditLimit),
      taxLiable: f.boolean((d) => d.taxLiable),
      taxAreaId: f.guid((d, _r, s) => s.idOf('taxAreas', d.taxAreaCode)),
      taxAreaDisplayName: f.string(
        (d, _r, s) => s.rowByCode('taxAreas', d.taxAreaCode)?.data.description,
      ),
      taxRegistrationNumber: f.string((d) => d.taxRegistrationNo),
      currencyId: f.guid((d, _r, s) => s.idOf('currencies', d.currencyCode)),
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      paymentTermsId: f.guid((d, _r, s) => s.idOf('paymentTerms', d.paymentTermsCode)),
      shipmentMethodId: f.guid(() => null),
      paymentMethodId: f.guid(() => null),
      // BC has no "inactive": both non-active states read as blocked for everything.
      blocked: f.string((d) => (d.status === 'ACTIVE' ? ' ' : 'All')),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoItem>({
    name: 'items',
    route: 'v2.0',
    entityType: 'item',
    table: 'items',
    fields: {
      id: id(),
      number: f.string((d) => d.sku),
      displayName: f.string((d) => d.description),
      displayName2: f.string(() => ''),
      type: f.string(() => 'Inventory'),
      itemCategoryId: f.guid((d, _r, s) => s.idOf('itemGroups', d.itemGroupCode)),
      itemCategoryCode: f.string((d) => d.itemGroupCode),
      blocked: f.boolean((d) => d.status === 'BLOCKED'),
      gtin: f.string((d) => d.gtin),
      inventory: f.decimal((d, _r, s) => s.inventoryOf(d.sku)),
      unitPrice: f.decimal((d, _r, s) => s.basePrice('USD', d.sku, d.baseUom)),
      priceIncludesTax: f.boolean(() => false),
      unitCost: f.decimal((d) => d.unitCost),
      taxGroupId: f.guid((d, _r, s) => s.idOf('taxGroups', d.taxGroupCode)),
      taxGroupCode: f.string((d) => d.taxGroupCode),
      baseUnitOfMeasureId: f.guid((d, _r, s) => s.idOf('unitsOfMeasure', d.baseUom)),
      baseUnitOfMeasureCode: f.string((d) => d.baseUom),
      generalProductPostingGroupId: f.guid(() => null),
      generalProductPostingGroupCode: f.string(() => 'RETAIL'),
      inventoryPostingGroupId: f.guid(() => null),
      inventoryPostingGroupCode: f.string(() => 'RESALE'),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoItemGroup>({
    name: 'itemCategories',
    route: 'v2.0',
    entityType: 'itemCategory',
    table: 'itemGroups',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      displayName: f.string((d) => d.description),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoWarehouse>({
    name: 'locations',
    route: 'v2.0',
    entityType: 'location',
    table: 'warehouses',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      displayName: f.string((d) => d.name),
      contact: f.string(() => ''),
      ...addressFields(),
      phoneNumber: f.string((d) => d.phone),
      email: f.string((d) => d.email),
      website: f.string(() => ''),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoSupplier>({
    name: 'vendors',
    route: 'v2.0',
    entityType: 'vendor',
    table: 'suppliers',
    fields: {
      id: id(),
      number: f.string((d) => d.supplierNo),
      displayName: f.string((d) => d.name),
      ...addressFields(),
      phoneNumber: f.string((d) => d.phone),
      email: f.string((d) => d.email),
      website: f.string(() => ''),
      taxRegistrationNumber: f.string(() => ''),
      currencyId: f.guid((d, _r, s) => s.idOf('currencies', d.currencyCode)),
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      irs1099Code: f.string(() => ''),
      paymentTermsId: f.guid((d, _r, s) => s.idOf('paymentTerms', d.paymentTermsCode)),
      paymentMethodId: f.guid(() => null),
      taxLiable: f.boolean(() => false),
      blocked: f.string((d) => (d.status === 'ACTIVE' ? ' ' : 'All')),
      balance: f.decimal(() => '0'),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoUnitOfMeasure>({
    name: 'unitsOfMeasure',
    route: 'v2.0',
    entityType: 'unitOfMeasure',
    table: 'unitsOfMeasure',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      displayName: f.string((d) => d.description),
      internationalStandardCode: f.string((d) => d.internationalStandardCode),
      symbol: f.string(() => ''),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoCurrency>({
    name: 'currencies',
    route: 'v2.0',
    entityType: 'currency',
    table: 'currencies',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      displayName: f.string((d) => d.description),
      symbol: f.string((d) => d.symbol),
      amountDecimalPlaces: f.string(() => '2:2'),
      amountRoundingPrecision: f.decimal(() => '0.01'),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoPaymentTerms>({
    name: 'paymentTerms',
    route: 'v2.0',
    entityType: 'paymentTerm',
    table: 'paymentTerms',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      displayName: f.string((d) => d.description),
      dueDateCalculation: f.string((d) => `${d.dueDays}D`),
      discountDateCalculation: f.string((d) => (d.discountDays ? `${d.discountDays}D` : '')),
      discountPercent: f.decimal((d) => d.discountPercent),
      calculateDiscountOnCreditMemos: f.boolean(() => false),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoTaxArea>({
    name: 'taxAreas',
    route: 'v2.0',
    entityType: 'taxArea',
    table: 'taxAreas',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      displayName: f.string((d) => d.description),
      taxType: f.string((d) => (d.country === 'US' || d.country === 'CA' ? 'Sales Tax' : 'VAT')),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoTaxGroup>({
    name: 'taxGroups',
    route: 'v2.0',
    entityType: 'taxGroup',
    table: 'taxGroups',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      displayName: f.string((d) => d.description),
      // The demo company sells in the US, Canada and the EU; its item tax groups are US sales tax.
      taxType: f.string(() => 'Sales Tax'),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<SandboxSalesOrder>({
    name: 'salesOrders',
    route: 'v2.0',
    entityType: 'salesOrder',
    table: 'salesOrders',
    fields: {
      id: id(),
      number: f.string((d) => d.number),
      externalDocumentNumber: f.string((d) => d.externalDocumentNumber),
      orderDate: f.date((d) => d.orderDate),
      postingDate: f.date((d) => d.postingDate),
      customerId: f.guid((d) => d.customerId),
      customerNumber: f.string((d) => d.customerNumber),
      customerName: f.string((d) => d.customerName),
      billToName: f.string((d) => d.billToName),
      billToCustomerId: f.guid((d) => d.billToCustomerId),
      billToCustomerNumber: f.string((d) => d.billToCustomerNumber),
      shipToName: f.string((d) => d.shipToName),
      shipToContact: f.string((d) => d.shipToContact),
      ...orderAddress('sellTo'),
      ...orderAddress('billTo'),
      ...orderAddress('shipTo'),
      shortcutDimension1Code: f.string((d) => d.shortcutDimension1Code),
      shortcutDimension2Code: f.string((d) => d.shortcutDimension2Code),
      currencyId: f.guid((d) => d.currencyId),
      currencyCode: f.string((d) => d.currencyCode),
      pricesIncludeTax: f.boolean(() => false),
      paymentTermsId: f.guid((d) => d.paymentTermsId),
      shipmentMethodId: f.guid((d) => d.shipmentMethodId),
      salesperson: f.string((d) => d.salesperson),
      partialShipping: f.boolean((d) => d.partialShipping),
      requestedDeliveryDate: f.date((d) => d.requestedDeliveryDate),
      discountAmount: f.decimal((d) => d.discountAmount),
      discountAppliedBeforeTax: f.boolean((d) => d.discountAppliedBeforeTax),
      totalAmountExcludingTax: f.decimal((d) => d.totalAmountExcludingTax),
      totalTaxAmount: f.decimal((d) => d.totalTaxAmount),
      totalAmountIncludingTax: f.decimal((d) => d.totalAmountIncludingTax),
      fullyShipped: f.boolean((d) => d.fullyShipped),
      status: f.string((d) => d.status),
      lastModifiedDateTime: lastModified(),
      phoneNumber: f.string((d) => d.phoneNumber),
      email: f.string((d) => d.email),
    },
  }),
  view<SandboxSalesOrderLine>({
    name: 'salesOrderLines',
    route: 'v2.0',
    entityType: 'salesOrderLine',
    table: 'salesOrderLines',
    fields: {
      id: id(),
      documentId: f.guid((d) => d.documentId),
      sequence: f.int((d) => d.sequence),
      itemId: f.guid((d) => d.itemId),
      accountId: f.guid(() => null),
      lineType: f.string((d) => d.lineType),
      lineObjectNumber: f.string((d) => d.lineObjectNumber),
      description: f.string((d) => d.description),
      unitOfMeasureId: f.guid((d) => d.unitOfMeasureId),
      unitOfMeasureCode: f.string((d) => d.unitOfMeasureCode),
      quantity: f.decimal((d) => d.quantity),
      unitPrice: f.decimal((d) => d.unitPrice),
      discountAmount: f.decimal((d) => d.discountAmount),
      discountPercent: f.decimal((d) => d.discountPercent),
      discountAppliedBeforeTax: f.boolean((d) => d.discountAppliedBeforeTax),
      amountExcludingTax: f.decimal((d) => d.amountExcludingTax),
      taxCode: f.string((d) => d.taxCode),
      taxPercent: f.decimal((d) => d.taxPercent),
      totalTaxAmount: f.decimal((d) => d.totalTaxAmount),
      amountIncludingTax: f.decimal((d) => d.amountIncludingTax),
      invoiceDiscountAllocation: f.decimal(() => '0'),
      netAmount: f.decimal((d) => d.amountExcludingTax),
      netTaxAmount: f.decimal((d) => d.totalTaxAmount),
      netAmountIncludingTax: f.decimal((d) => d.amountIncludingTax),
      shipmentDate: f.date((d) => d.shipmentDate),
      shippedQuantity: f.decimal((d) => d.shippedQuantity),
      invoicedQuantity: f.decimal((d) => d.invoicedQuantity),
      invoiceQuantity: f.decimal((d) => d.invoiceQuantity),
      shipQuantity: f.decimal((d) => d.shipQuantity),
      itemVariantId: f.guid(() => null),
      locationId: f.guid((d) => d.locationId),
    },
  }),

  view<SandboxSalesShipment>({
    name: 'salesShipments',
    route: 'v2.0',
    entityType: 'salesShipment',
    table: 'salesShipments',
    fields: {
      id: id(),
      number: f.string((d) => d.number),
      externalDocumentNumber: f.string((d) => d.externalDocumentNumber),
      invoiceDate: f.date((d) => d.invoiceDate),
      postingDate: f.date((d) => d.postingDate),
      dueDate: f.date((d) => d.dueDate),
      customerPurchaseOrderReference: f.string(() => ''),
      customerNumber: f.string((d) => d.customerNumber),
      customerName: f.string((d) => d.customerName),
      billToName: f.string((d) => d.billToName),
      billToCustomerNumber: f.string((d) => d.billToCustomerNumber),
      shipToName: f.string((d) => d.shipToName),
      shipToContact: f.string((d) => d.shipToContact),
      ...orderAddress('sellTo'),
      ...orderAddress('billTo'),
      ...orderAddress('shipTo'),
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      orderNumber: f.string((d) => d.orderNumber),
      paymentTermsCode: f.string((d) => d.paymentTermsCode),
      shipmentMethodCode: f.string(() => ''),
      salesperson: f.string((d) => d.salesperson),
      pricesIncludeTax: f.boolean(() => false),
      lastModifiedDateTime: lastModified(),
      phoneNumber: f.string((d) => d.phoneNumber),
      email: f.string((d) => d.email),
    },
  }),
  view<SandboxSalesShipmentLine>({
    name: 'salesShipmentLines',
    route: 'v2.0',
    entityType: 'salesShipmentLine',
    table: 'salesShipmentLines',
    fields: {
      id: id(),
      documentId: f.guid((d) => d.documentId),
      documentNo: f.string((d) => d.documentNo),
      sequence: f.int((d) => d.sequence),
      lineType: f.string((d) => d.lineType),
      lineObjectNumber: f.string((d) => d.lineObjectNumber),
      description: f.string((d) => d.description),
      unitOfMeasureCode: f.string((d) => d.unitOfMeasureCode),
      unitPrice: f.decimal((d) => d.unitPrice),
      quantity: f.decimal((d) => d.quantity),
      discountPercent: f.decimal((d) => d.discountPercent),
      taxPercent: f.decimal((d) => d.taxPercent),
      shipmentDate: f.date((d) => d.shipmentDate),
    },
  }),
  view<SandboxSalesInvoice>({
    name: 'salesInvoices',
    route: 'v2.0',
    entityType: 'salesInvoice',
    table: 'salesInvoices',
    fields: {
      id: id(),
      number: f.string((d) => d.number),
      externalDocumentNumber: f.string((d) => d.externalDocumentNumber),
      invoiceDate: f.date((d) => d.invoiceDate),
      postingDate: f.date((d) => d.postingDate),
      dueDate: f.date((d) => d.dueDate),
      customerPurchaseOrderReference: f.string(() => ''),
      customerId: f.guid((d) => d.customerId),
      customerNumber: f.string((d) => d.customerNumber),
      customerName: f.string((d) => d.customerName),
      billToName: f.string((d) => d.billToName),
      billToCustomerId: f.guid((d) => d.billToCustomerId),
      billToCustomerNumber: f.string((d) => d.billToCustomerNumber),
      shipToName: f.string((d) => d.shipToName),
      shipToContact: f.string((d) => d.shipToContact),
      ...orderAddress('sellTo'),
      ...orderAddress('billTo'),
      ...orderAddress('shipTo'),
      currencyId: f.guid((d) => d.currencyId),
      // BC writes the local currency blank on posted documents.
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      orderId: f.guid((d) => d.orderId),
      orderNumber: f.string((d) => d.orderNumber),
      paymentTermsId: f.guid((d) => d.paymentTermsId),
      shipmentMethodId: f.guid(() => null),
      salesperson: f.string((d) => d.salesperson),
      pricesIncludeTax: f.boolean(() => false),
      discountAmount: f.decimal((d) => d.discountAmount),
      discountAppliedBeforeTax: f.boolean(() => false),
      totalAmountExcludingTax: f.decimal((d) => d.totalAmountExcludingTax),
      totalTaxAmount: f.decimal((d) => d.totalTaxAmount),
      totalAmountIncludingTax: f.decimal((d) => d.totalAmountIncludingTax),
      remainingAmount: f.decimal((d) => d.remainingAmount),
      status: f.string((d) => d.status),
      lastModifiedDateTime: lastModified(),
      phoneNumber: f.string((d) => d.phoneNumber),
      email: f.string((d) => d.email),
    },
  }),
  view<SandboxSalesInvoiceLine>({
    name: 'salesInvoiceLines',
    route: 'v2.0',
    entityType: 'salesInvoiceLine',
    table: 'salesInvoiceLines',
    fields: {
      id: id(),
      documentId: f.guid((d) => d.documentId),
      sequence: f.int((d) => d.sequence),
      itemId: f.guid((d) => d.itemId),
      accountId: f.guid(() => null),
      lineType: f.string((d) => d.lineType),
      lineObjectNumber: f.string((d) => d.lineObjectNumber),
      description: f.string((d) => d.description),
      unitOfMeasureId: f.guid((d) => d.unitOfMeasureId),
      unitOfMeasureCode: f.string((d) => d.unitOfMeasureCode),
      quantity: f.decimal((d) => d.quantity),
      unitPrice: f.decimal((d) => d.unitPrice),
      discountAmount: f.decimal((d) => d.discountAmount),
      discountPercent: f.decimal((d) => d.discountPercent),
      discountAppliedBeforeTax: f.boolean(() => false),
      amountExcludingTax: f.decimal((d) => d.amountExcludingTax),
      taxCode: f.string((d) => d.taxCode),
      taxPercent: f.decimal((d) => d.taxPercent),
      totalTaxAmount: f.decimal((d) => d.totalTaxAmount),
      amountIncludingTax: f.decimal((d) => d.amountIncludingTax),
      invoiceDiscountAllocation: f.decimal(() => '0'),
      netAmount: f.decimal((d) => d.amountExcludingTax),
      netTaxAmount: f.decimal((d) => d.totalTaxAmount),
      netAmountIncludingTax: f.decimal((d) => d.amountIncludingTax),
      shipmentDate: f.date((d) => d.shipmentDate),
      itemVariantId: f.guid(() => null),
    },
  }),

  // ---- custom API pages: /api/crossdock/fulfillment/v1.0 ------------------------------------
  // Over BC's Sales Shipment Header, as BC's Shopify connector reads "Package Tracking No.",
  // "Shipping Agent Code" and "Shipping Agent Service Code": same record, same id and
  // lastModifiedDateTime as the salesShipment.
  view<SandboxSalesShipment>({
    name: 'shipmentTrackings',
    route: 'fulfillment',
    entityType: 'shipmentTracking',
    table: 'salesShipments',
    fields: {
      id: id(),
      number: f.string((d) => d.number),
      orderNumber: f.string((d) => d.orderNumber),
      externalDocumentNumber: f.string((d) => d.externalDocumentNumber),
      shippingAgentCode: f.string((d) => d.shippingAgentCode),
      shippingAgentServiceCode: f.string((d) => d.shippingAgentServiceCode),
      packageTrackingNo: f.string((d) => d.packageTrackingNo),
      packageTrackingNos: f.string((d) => d.packageTrackingNos),
      trackingUrl: f.string((d) => d.trackingUrl),
      hubShipmentReference: f.string((d) => d.hubShipmentReference),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<SandboxShipmentConfirmation>({
    name: 'shipmentConfirmations',
    route: 'fulfillment',
    entityType: 'shipmentConfirmation',
    table: 'shipmentConfirmations',
    fields: {
      id: id(),
      hubShipmentReference: f.string((d) => d.hubShipmentReference),
      externalDocumentNumber: f.string((d) => d.externalDocumentNumber),
      orderNumber: f.string((d) => d.orderNumber),
      shipmentDate: f.date((d) => d.shipmentDate),
      shippingAgentCode: f.string((d) => d.shippingAgentCode),
      shippingAgentServiceCode: f.string((d) => d.shippingAgentServiceCode),
      packageTrackingNo: f.string((d) => d.packageTrackingNo),
      packageTrackingNos: f.string((d) => d.packageTrackingNos),
      trackingUrl: f.string((d) => d.trackingUrl),
      status: f.string((d) => d.status),
      shipmentNumber: f.string((d) => d.shipmentNumber),
      shipmentId: f.guid((d) => d.shipmentId),
      lines: f.json((d) =>
        d.lines.map((l) => ({ sequence: l.sequence, quantity: new BcDecimal(l.quantity) })),
      ),
      lastModifiedDateTime: lastModified(),
    },
  }),

  // ---- custom API pages: /api/crossdock/erp/v1.0 -------------------------------------------
  view<DemoCustomer>({
    name: 'customerDetails',
    route: 'custom',
    entityType: 'customerDetail',
    table: 'customers',
    fields: {
      id: id(),
      number: f.string((d) => d.customerNo),
      parentCustomerId: f.guid((d, _r, s) => s.idOf('customers', d.parentCustomerNo)),
      parentCustomerNumber: f.string((d) => d.parentCustomerNo),
      status: f.string((d) => title(d.status)),
      paymentTermsCode: f.string((d) => d.paymentTermsCode),
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      taxAreaCode: f.string((d) => d.taxAreaCode),
      taxExemptionNumber: f.string((d) => d.taxExemptionNo),
      taxRegistrationNumber: f.string((d) => d.taxRegistrationNo),
      priceListCode: f.string((d) => d.priceListCode),
      defaultLocationCode: f.string((d) => d.defaultWarehouseCode),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoShipTo>({
    name: 'shipToAddresses',
    route: 'custom',
    entityType: 'shipToAddress',
    table: 'shipTos',
    fields: {
      id: id(),
      customerId: f.guid((d, _r, s) => s.idOf('customers', d.customerNo)),
      customerNumber: f.string((d) => d.customerNo),
      code: f.string((d) => d.code),
      name: f.string((d) => d.name),
      contact: f.string((d) => d.contact),
      phoneNumber: f.string((d) => d.phone),
      ...addressFields(),
      taxAreaCode: f.string((d) => d.taxAreaCode),
      taxExemptionNumber: f.string((d) => d.taxExemptionNo),
      locationCode: f.string((d) => d.warehouseCode),
      isDefault: f.boolean((d) => d.isDefault),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoItem>({
    name: 'itemDetails',
    route: 'custom',
    entityType: 'itemDetail',
    table: 'items',
    fields: {
      id: id(),
      number: f.string((d) => d.sku),
      status: f.string((d) => title(d.status)),
      fulfillmentType: f.string((d) => (d.fulfillmentType === 'DROP_SHIP' ? 'Drop Ship' : 'Stock')),
      vendorId: f.guid((d, _r, s) => s.idOf('suppliers', d.supplierNo)),
      vendorNumber: f.string((d) => d.supplierNo),
      lotControlled: f.boolean((d) => d.lotControlled),
      taxClass: f.string((d) => d.taxClass),
      weightKg: f.decimal((d) => d.weightKg),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<SandboxItemUom>({
    name: 'itemUnitsOfMeasure',
    route: 'custom',
    entityType: 'itemUnitOfMeasure',
    table: 'itemUoms',
    fields: {
      id: id(),
      itemId: f.guid((d) => d.itemId),
      itemNumber: f.string((d) => d.sku),
      code: f.string((d) => d.uomCode),
      qtyPerUnitOfMeasure: f.decimal((d) => d.factor),
      baseUnitOfMeasure: f.boolean((d) => d.isBase),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<SandboxItemSubstitution>({
    name: 'itemSubstitutions',
    route: 'custom',
    entityType: 'itemSubstitution',
    table: 'itemSubstitutions',
    fields: {
      id: id(),
      itemId: f.guid((d) => d.itemId),
      itemNumber: f.string((d) => d.itemSku),
      substituteItemId: f.guid((d, _r, s) => s.idOf('items', d.sku)),
      substituteNumber: f.string((d) => d.sku),
      priority: f.int((d) => d.priority),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoInventoryBalance>({
    name: 'inventoryBalances',
    route: 'custom',
    entityType: 'inventoryBalance',
    table: 'balances',
    fields: {
      id: id(),
      itemId: f.guid((d, _r, s) => s.idOf('items', d.sku)),
      itemNumber: f.string((d) => d.sku),
      locationId: f.guid((d, _r, s) => s.idOf('warehouses', d.warehouseCode)),
      locationCode: f.string((d) => d.warehouseCode),
      lotNumber: f.string((d) => d.lotNo),
      expirationDate: f.date((d) => d.expiryDate),
      quantityOnHand: f.decimal((d) => d.onHand),
      quantityAllocated: f.decimal((d) => d.allocated),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoPriceList>({
    name: 'priceLists',
    route: 'custom',
    entityType: 'priceList',
    table: 'priceLists',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      description: f.string((d) => d.description),
      sourceType: f.string((d) => (d.type === 'BASE' ? 'All Customers' : 'Customer')),
      sourceNumber: f.string((d) => d.customerNo),
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      startingDate: f.date((d) => d.validFrom),
      endingDate: f.date((d) => d.validTo),
      status: f.string(() => 'Active'),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<SandboxPriceListLine>({
    name: 'priceListLines',
    route: 'custom',
    entityType: 'priceListLine',
    table: 'priceListLines',
    fields: {
      id: id(),
      priceListCode: f.string((d) => d.priceListCode),
      assetType: f.string(() => 'Item'),
      assetNumber: f.string((d) => d.sku),
      itemId: f.guid((d, _r, s) => s.idOf('items', d.sku)),
      unitOfMeasureCode: f.string((d) => d.uomCode),
      minimumQuantity: f.decimal((d) => d.minQty),
      unitPrice: f.decimal((d) => d.unitPrice),
      currencyCode: f.string((d, _r, s) =>
        bcCurrencyCode(s.rowByCode('priceLists', d.priceListCode)?.data.currencyCode),
      ),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoContract>({
    name: 'customerContracts',
    route: 'custom',
    entityType: 'customerContract',
    table: 'contracts',
    fields: {
      id: id(),
      contractNumber: f.string((d) => d.contractNo),
      description: f.string((d) => d.description),
      customerId: f.guid((d, _r, s) => s.idOf('customers', d.customerNo)),
      customerNumber: f.string((d) => d.customerNo),
      appliesTo: f.string((d) => (d.sku ? 'Item' : 'Item Category')),
      itemId: f.guid((d, _r, s) => s.idOf('items', d.sku)),
      itemNumber: f.string((d) => d.sku),
      itemCategoryCode: f.string((d) => d.itemGroupCode),
      priceType: f.string((d) => (d.priceType === 'FIXED' ? 'Fixed Price' : 'Percent Off')),
      unitPrice: f.decimal((d) => d.fixedPrice),
      unitOfMeasureCode: f.string((d) => d.uomCode),
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      discountPercent: f.decimal((d) => d.discountPercent),
      minimumQuantity: f.decimal((d) => d.minQty),
      startingDate: f.date((d) => d.validFrom),
      endingDate: f.date((d) => d.validTo),
      lastModifiedDateTime: lastModified(),
    },
  }),
  view<DemoPromotion>({
    name: 'promotions',
    route: 'custom',
    entityType: 'promotion',
    table: 'promotions',
    fields: {
      id: id(),
      code: f.string((d) => d.code),
      description: f.string((d) => d.description),
      discountType: f.string((d) =>
        d.discountType === 'PERCENT_OFF' ? 'Percent Off' : 'Amount Off',
      ),
      discountPercent: f.decimal((d) => d.discountPercent),
      discountAmount: f.decimal((d) => d.discountAmount),
      currencyCode: f.string((d) => bcCurrencyCode(d.currencyCode)),
      minimumQuantity: f.decimal((d) => d.minQty),
      startingDate: f.date((d) => d.validFrom),
      endingDate: f.date((d) => d.validTo),
      status: f.string((d) => title(d.status)),
      scopes: f.json((d) =>
        d.scopes.map((s) => ({
          lineNumber: s.scopeNo,
          type: s.type === 'ITEM' ? 'Item' : s.type === 'ITEM_GROUP' ? 'Item Category' : 'Customer',
          code: s.code,
        })),
      ),
      lastModifiedDateTime: lastModified(),
    },
  }),
];

function orderAddress<T extends { sellTo: unknown; billTo: unknown; shipTo: unknown }>(
  prefix: 'sellTo' | 'billTo' | 'shipTo',
): Record<string, FieldDef<T>> {
  const part = (d: T): SandboxAddress => d[prefix] as SandboxAddress;
  return {
    [`${prefix}AddressLine1`]: f.string((d: T) => part(d).addressLine1),
    [`${prefix}AddressLine2`]: f.string((d: T) => part(d).addressLine2),
    [`${prefix}City`]: f.string((d: T) => part(d).city),
    [`${prefix}Country`]: f.string((d: T) => part(d).country),
    [`${prefix}State`]: f.string((d: T) => part(d).state),
    [`${prefix}PostCode`]: f.string((d: T) => part(d).postCode),
  };
}

export function findView(route: ApiRoute, name: string): EntityView<unknown> | undefined {
  return ENTITY_VIEWS.find((v) => v.route === route && v.name === name);
}
