import type {
  Customer,
  CustomerStatus,
  FulfillmentType,
  Item,
  ItemStatus,
  ShipTo,
  Warehouse,
} from '../../../../modules/master-data/index.js';
import {
  addressLines,
  customerAddress,
  mapEnum,
  textOrNull,
  UnmappableRecordError,
} from '../../shared/canonical-fields.js';
import { bcDecimal, bcOptionalGuid } from '../bc-values.js';
import type { BcRow } from '../cloud-erp.connection.js';
import type { DeltaPart } from '../composite-delta.reader.js';

/** The BC sets a customer is read from (standard `customers` + custom pages). */
export const CUSTOMER_PARTS: DeltaPart[] = [
  {
    name: 'customer',
    api: 'standard',
    entitySet: 'customers',
    parentField: 'id',
    cardinality: 'one',
    select: [
      'number',
      'displayName',
      'addressLine1',
      'addressLine2',
      'city',
      'state',
      'country',
      'postalCode',
      'phoneNumber',
      'email',
      'website',
      'balanceDue',
      'creditLimit',
      'currencyCode',
      'blocked',
      'paymentTermsId',
      'taxAreaId',
      'taxLiable',
    ],
  },
  {
    name: 'details',
    api: 'custom',
    entitySet: 'customerDetails',
    parentField: 'id',
    cardinality: 'one',
    optional: true,
    select: [
      'number',
      'parentCustomerNumber',
      'status',
      'paymentTermsCode',
      'currencyCode',
      'taxAreaCode',
      'taxExemptionNumber',
    ],
  },
  {
    name: 'shipTos',
    api: 'custom',
    entitySet: 'shipToAddresses',
    parentField: 'customerId',
    cardinality: 'many',
    optional: true,
    select: [
      'code',
      'name',
      'addressLine1',
      'addressLine2',
      'city',
      'state',
      'country',
      'postalCode',
      'taxAreaCode',
      'locationCode',
      'isDefault',
    ],
  },
];

export const ITEM_PARTS: DeltaPart[] = [
  {
    name: 'item',
    api: 'standard',
    entitySet: 'items',
    parentField: 'id',
    cardinality: 'one',
    select: [
      'number',
      'displayName',
      'type',
      'itemCategoryCode',
      'blocked',
      'gtin',
      'taxGroupCode',
      'baseUnitOfMeasureCode',
    ],
  },
  {
    name: 'details',
    api: 'custom',
    entitySet: 'itemDetails',
    parentField: 'id',
    cardinality: 'one',
    optional: true,
    select: ['number', 'status', 'fulfillmentType', 'vendorNumber', 'lotControlled'],
  },
  {
    name: 'unitsOfMeasure',
    api: 'custom',
    entitySet: 'itemUnitsOfMeasure',
    parentField: 'itemId',
    cardinality: 'many',
    optional: true,
    select: ['code', 'qtyPerUnitOfMeasure', 'baseUnitOfMeasure'],
  },
  {
    name: 'substitutions',
    api: 'custom',
    entitySet: 'itemSubstitutions',
    parentField: 'itemId',
    cardinality: 'many',
    optional: true,
    select: ['substituteNumber', 'priority'],
  },
];

export const WAREHOUSE_PARTS: DeltaPart[] = [
  {
    name: 'location',
    api: 'standard',
    entitySet: 'locations',
    parentField: 'id',
    cardinality: 'one',
    select: [
      'code',
      'displayName',
      'addressLine1',
      'addressLine2',
      'city',
      'state',
      'country',
      'postalCode',
    ],
  },
];

/** What customer mapping needs beyond the rows. */
export interface CustomerMappingContext {
  /** Payment terms codes due at once (COD, prepaid): customers who get no credit. */
  cashTerms: ReadonlySet<string>;
  /** The company's local currency, for a blank BC currency code. */
  localCurrency: string;
  /** Standard paymentTerms codes by id (customers carry paymentTermsId). */
  paymentTermsById: ReadonlyMap<string, string>;
  /** Standard taxAreas codes by id (customers carry taxAreaId). */
  taxAreasById: ReadonlyMap<string, string>;
  /** False while the custom customerDetails page is missing: standard fields only. */
  detailsPage: boolean;
}

/** What item mapping needs beyond the rows. */
export interface ItemMappingContext {
  /** False while the custom itemDetails page is missing: standard fields only. */
  detailsPage: boolean;
}

const DETAIL_STATUS: Record<string, CustomerStatus> = {
  Active: 'ACTIVE',
  Inactive: 'INACTIVE',
  Blocked: 'BLOCKED',
};
const ITEM_STATUS: Record<string, ItemStatus> = {
  Active: 'ACTIVE',
  Discontinued: 'DISCONTINUED',
  Blocked: 'BLOCKED',
};
const FULFILLMENT: Record<string, FulfillmentType> = { Stock: 'STOCK', 'Drop Ship': 'DROP_SHIP' };
/** BC `items.type` (NAV.itemType): only Inventory items are stock. */
const ITEM_TYPES = new Set(['Inventory', 'Service', 'Non-Inventory']);
/** BC `customers.blocked` (NAV.customerBlocked): blank, or what the block stops. */
const BLOCKED_VALUES = new Set([' ', '', 'Ship', 'Invoice', 'All']);

/**
 * Maps Business Central API v2.0 shapes (plus the custom pages) to the canonical master data.
 * BC-specific meanings handled here:
 * - BC has no "inactive" customer: `blocked` is blank or what it stops (Ship, Invoice, All);
 *   the custom `customerDetails.status` says whether a blocked customer is Inactive or Blocked.
 * - A credit limit of 0 is BC's blank: no limit, so null, except on cash terms (due at once,
 *   COD / prepaid), where the ERP extends no credit at all: "0".
 * - BC writes no nulls: blank strings are "not set".
 * - Standard v2.0 customers carry ids of their payment terms and tax area: resolved to codes
 *   through the standard `paymentTerms` and `taxAreas` entity sets (the codes are what the hub,
 *   channels and the ERP's own documents use; `taxAreaDisplayName` is the tax area's name, not
 *   the customer's, and is left to the ERP). Items carry `gtin` and `taxGroupCode` themselves.
 */
export const CloudMasterDataMapper = {
  customer(rows: Record<string, BcRow[]>, context: CustomerMappingContext): Customer {
    const customer = rows.customer?.[0];
    const details = rows.details?.[0];
    if (!customer) throw new UnmappableRecordError('The customer itself was not found in the ERP.');
    if (!details && context.detailsPage) {
      throw new UnmappableRecordError(
        `Customer ${text(customer.number)} has no customerDetails row (custom API page).`,
      );
    }
    // Standard v2.0 carries ids; the custom page, where installed, the codes (it wins).
    const standardTerms = lookUpCode(context.paymentTermsById, customer.paymentTermsId);
    const standardTaxArea = lookUpCode(context.taxAreasById, customer.taxAreaId);
    const paymentTerms = textOrNull(details?.paymentTermsCode) ?? standardTerms;
    return {
      erpId: text(customer.number),
      name: text(customer.displayName),
      parentErpId: textOrNull(details?.parentCustomerNumber),
      status: customerStatus(customer.blocked, details ? details.status : 'Active'),
      creditLimit: creditLimit(
        bcDecimal(customer.creditLimit ?? 0, 'creditLimit'),
        paymentTerms,
        context.cashTerms,
      ),
      balanceDue: bcDecimal(customer.balanceDue ?? 0, 'balanceDue'),
      paymentTerms,
      currency:
        textOrNull(details?.currencyCode) ??
        textOrNull(customer.currencyCode) ??
        context.localCurrency,
      taxAreaCode: textOrNull(details?.taxAreaCode) ?? standardTaxArea,
      taxExemptionNumber: textOrNull(details?.taxExemptionNumber),
      taxLiable: taxLiable(customer.taxLiable),
      email: textOrNull(customer.email),
      phone: textOrNull(customer.phoneNumber),
      website: textOrNull(customer.website),
      address: customerAddress({
        line1: customer.addressLine1,
        line2: customer.addressLine2,
        city: customer.city,
        state: customer.state,
        postalCode: customer.postalCode,
        country: customer.country,
      }),
      shipTos: [...(rows.shipTos ?? [])]
        .sort(
          (a, b) =>
            Number(b.isDefault === true) - Number(a.isDefault === true) || byText(a.code, b.code),
        )
        .map(shipTo),
    };
  },

  item(rows: Record<string, BcRow[]>, context: ItemMappingContext = { detailsPage: true }): Item {
    const item = rows.item?.[0];
    const details = rows.details?.[0];
    if (!item) throw new UnmappableRecordError('The item itself was not found in the ERP.');
    // A missing type is BC's default, Inventory; Service and Non-Inventory items are not
    // stock, and the hub sells stock and drop-ship items only: reported, never synced as stock.
    const type = item.type === undefined ? 'Inventory' : text(item.type);
    if (!ITEM_TYPES.has(type)) throw new UnmappableRecordError(`Unknown item type "${type}".`);
    if (type !== 'Inventory') {
      throw new UnmappableRecordError(
        `Item ${text(item.number)} is a ${type} item: the hub keeps stock and drop-ship items only.`,
      );
    }
    if (!details && context.detailsPage) {
      throw new UnmappableRecordError(
        `Item ${text(item.number)} has no itemDetails row (custom API page).`,
      );
    }
    const detailStatus = details ? mapEnum(details.status, ITEM_STATUS) : 'ACTIVE';
    if (!detailStatus)
      throw new UnmappableRecordError(`Unknown item status "${text(details?.status)}".`);
    const fulfillmentType = details ? mapEnum(details.fulfillmentType, FULFILLMENT) : 'STOCK';
    if (!fulfillmentType) {
      throw new UnmappableRecordError(
        `Unknown fulfillment type "${text(details?.fulfillmentType)}".`,
      );
    }
    const lotControlled = details ? details.lotControlled : false;
    if (typeof lotControlled !== 'boolean') {
      throw new UnmappableRecordError('itemDetails.lotControlled is not a boolean.');
    }
    return {
      sku: text(item.number),
      description: text(item.displayName),
      baseUom: text(item.baseUnitOfMeasureCode),
      uomConversions: [...(rows.unitsOfMeasure ?? [])]
        .sort(
          (a, b) =>
            Number(b.baseUnitOfMeasure === true) - Number(a.baseUnitOfMeasure === true) ||
            byText(a.code, b.code),
        )
        .map((u) => ({
          uom: text(u.code),
          factor: bcDecimal(u.qtyPerUnitOfMeasure, 'qtyPerUnitOfMeasure'),
        })),
      itemGroup: textOrNull(item.itemCategoryCode),
      // `items.blocked` is BC's own switch: it wins over the custom page's status.
      status: item.blocked === true ? 'BLOCKED' : detailStatus,
      fulfillmentType,
      supplierId: fulfillmentType === 'DROP_SHIP' ? textOrNull(details?.vendorNumber) : null,
      lotControlled,
      substitutes: [...(rows.substitutions ?? [])]
        .sort(
          (a, b) =>
            Number(a.priority) - Number(b.priority) ||
            byText(a.substituteNumber, b.substituteNumber),
        )
        .map((s) => text(s.substituteNumber)),
      gtin: textOrNull(item.gtin),
      taxGroupCode: textOrNull(item.taxGroupCode),
    };
  },

  warehouse(rows: Record<string, BcRow[]>): Warehouse {
    const location = rows.location?.[0];
    if (!location) throw new UnmappableRecordError('The location itself was not found in the ERP.');
    const lines = addressLines(location.addressLine1, location.addressLine2);
    const hasAddress = lines.length > 0 || textOrNull(location.city) !== null;
    return {
      code: text(location.code),
      name: text(location.displayName),
      address: hasAddress
        ? {
            addressLines: lines,
            city: text(location.city),
            region: textOrNull(location.state),
            postalCode: textOrNull(location.postalCode),
            country: text(location.country),
          }
        : null,
      // BC locations have no status: a location the API lists is in use.
      active: true,
    };
  },
};

function customerStatus(blocked: unknown, detailStatus: unknown): CustomerStatus {
  if (typeof blocked !== 'string' || !BLOCKED_VALUES.has(blocked)) {
    throw new UnmappableRecordError(`Unknown customer blocked value "${text(blocked)}".`);
  }
  const status = mapEnum(detailStatus, DETAIL_STATUS);
  if (!status) {
    throw new UnmappableRecordError(`Unknown customer status "${text(detailStatus)}".`);
  }
  if (blocked.trim() === '') return status;
  // Blocked in BC for shipping or invoicing: the hub must not take orders. Inactive says more.
  return status === 'INACTIVE' ? 'INACTIVE' : 'BLOCKED';
}

/**
 * BC `customers.taxLiable`. A row without it (the adapter selects it, so only a tenant that
 * leaves optional properties out) is read as liable: orders then need tax attributes, the safe
 * side; reading it as "not liable" would let untaxed orders through.
 */
function taxLiable(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') {
    throw new UnmappableRecordError(`customers.taxLiable "${text(value)}" is not a boolean.`);
  }
  return value;
}

function creditLimit(
  limit: string,
  paymentTerms: string | null,
  cashTerms: ReadonlySet<string>,
): string | null {
  if (!/^-?0*(\.0*)?$/.test(limit)) return limit;
  return paymentTerms !== null && cashTerms.has(paymentTerms) ? '0' : null;
}

function shipTo(row: BcRow): ShipTo {
  return {
    code: text(row.code),
    name: text(row.name),
    addressLines: addressLines(row.addressLine1, row.addressLine2),
    city: text(row.city),
    region: textOrNull(row.state),
    postalCode: textOrNull(row.postalCode),
    country: text(row.country),
    defaultWarehouseCode: textOrNull(row.locationCode),
    taxAreaCode: textOrNull(row.taxAreaCode),
  };
}

/** The code of a related standard record by its id (BC's zero GUID = none). */
function lookUpCode(codes: ReadonlyMap<string, string>, id: unknown): string | null {
  const guid = bcOptionalGuid(id);
  return guid === null ? null : (codes.get(guid) ?? null);
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function byText(a: unknown, b: unknown): number {
  const x = text(a);
  const y = text(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
