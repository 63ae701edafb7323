import type {
  Contract,
  PriceList,
  PriceListEntry,
  Promotion,
} from '../../../../modules/pricing/index.js';
import { mapEnum, textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { BC_BLANK_DATE, bcCurrency, bcDecimal, bcOptionalDate } from '../bc-values.js';
import type { BcRow } from '../cloud-erp.connection.js';

/*
 * Rows of the cloud ERP's pricing pages (src/erp-simulators/cloud/README.md, custom API pages) to
 * the canonical price records of the PriceDataFeed port. BC writes no nulls: blank texts are "",
 * blank dates 0001-01-01, blank decimals 0; a blank currency code is the local currency (as on
 * BC's price lists); decimals arrive as JSON numbers (parsed losslessly) or strings.
 */

/** A starting date of 0001-01-01 (BC's blank) means "from the beginning of time". */
const BEGINNING_OF_TIME = BC_BLANK_DATE;
/** A required end (promotions) left blank in BC is open-ended. */
const END_OF_TIME = '9999-12-31';

/** What price mapping needs beyond the row. */
export interface PriceMappingContext {
  /** The company's local currency: what a blank BC currency code means. */
  localCurrency: string;
}

const SOURCE_TYPES: Record<string, PriceList['type']> = {
  'All Customers': 'BASE',
  Customer: 'CUSTOMER',
};
const PRICE_TYPES: Record<string, Contract['priceType']> = {
  'Fixed Price': 'FIXED',
  'Percent Off': 'PERCENT_OFF',
};
const DISCOUNT_TYPES: Record<string, Promotion['discountType']> = {
  'Percent Off': 'PERCENT_OFF',
  'Amount Off': 'AMOUNT_OFF',
};
const STATUSES: Record<string, boolean> = { Active: true, Inactive: false };
const SCOPE_TYPES: Record<string, 'items' | 'itemGroups' | 'customers'> = {
  Item: 'items',
  'Item Category': 'itemGroups',
  Customer: 'customers',
};

function known<T>(value: T | undefined, field: string, raw: unknown): T {
  if (value === undefined) {
    throw new UnmappableRecordError(
      `${field} has a value the adapter does not know: ${JSON.stringify(raw)}.`,
    );
  }
  return value;
}

function text(value: unknown, field: string): string {
  const t = textOrNull(value);
  if (t === null) throw new UnmappableRecordError(`${field} is blank.`);
  return t;
}

/** A BC decimal (JSON number or string) as exact text without trailing zeros. */
function decimal(value: unknown, field: string): string {
  const t = bcDecimal(value ?? 0, field);
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

/** BC's blank decimal (0) as absent, for optional amounts and minimum quantities. */
function optionalDecimal(value: unknown, field: string): string | null {
  const d = decimal(value, field);
  return /^-?0(\.0*)?$/.test(d) ? null : d;
}

/** A starting date: BC's blank (0001-01-01, "" or absent) is the beginning of time. */
function startDate(value: unknown): string {
  return bcOptionalDate(value) ?? BEGINNING_OF_TIME;
}

/** An ending date: BC's blank is open-ended (null). */
const optionalDate = bcOptionalDate;

export const CloudPriceDataMapper = {
  priceList(row: BcRow, context: PriceMappingContext): PriceList {
    return {
      code: text(row.code, 'code'),
      description: textOrNull(row.description) ?? text(row.code, 'code'),
      type: known(mapEnum(row.sourceType, SOURCE_TYPES), 'sourceType', row.sourceType),
      currency: bcCurrency(row.currencyCode, context.localCurrency),
      customerId: textOrNull(row.sourceNumber),
      validFrom: startDate(row.startingDate),
      validTo: optionalDate(row.endingDate),
      active: known(mapEnum(row.status, STATUSES), 'status', row.status),
    };
  },

  entry(row: BcRow): PriceListEntry {
    if (row.assetType !== 'Item') {
      throw new UnmappableRecordError(
        `assetType ${JSON.stringify(row.assetType)}: only item prices are synced.`,
      );
    }
    return {
      priceListCode: text(row.priceListCode, 'priceListCode'),
      sku: text(row.assetNumber, 'assetNumber'),
      // BC leaves the unit blank for "the item's base unit": the hub needs it named.
      uom: text(row.unitOfMeasureCode, 'unitOfMeasureCode'),
      minQuantity: decimal(row.minimumQuantity, 'minimumQuantity'),
      unitPrice: decimal(row.unitPrice, 'unitPrice'),
    };
  },

  contract(row: BcRow, context: PriceMappingContext): Contract {
    const priceType = known(mapEnum(row.priceType, PRICE_TYPES), 'priceType', row.priceType);
    const forItem = row.appliesTo === 'Item';
    if (!forItem && row.appliesTo !== 'Item Category') {
      throw new UnmappableRecordError(
        `appliesTo has a value the adapter does not know: ${JSON.stringify(row.appliesTo)}.`,
      );
    }
    return {
      contractNo: text(row.contractNumber, 'contractNumber'),
      description: textOrNull(row.description) ?? text(row.contractNumber, 'contractNumber'),
      customerId: text(row.customerNumber, 'customerNumber'),
      sku: forItem ? text(row.itemNumber, 'itemNumber') : null,
      itemGroup: forItem ? null : text(row.itemCategoryCode, 'itemCategoryCode'),
      priceType,
      fixedPrice: priceType === 'FIXED' ? decimal(row.unitPrice, 'unitPrice') : null,
      uom: priceType === 'FIXED' ? text(row.unitOfMeasureCode, 'unitOfMeasureCode') : null,
      currency: bcCurrency(row.currencyCode, context.localCurrency),
      discountPercent:
        priceType === 'PERCENT_OFF' ? decimal(row.discountPercent, 'discountPercent') : null,
      minQuantity: optionalDecimal(row.minimumQuantity, 'minimumQuantity'),
      validFrom: startDate(row.startingDate),
      validTo: optionalDate(row.endingDate),
    };
  },

  /**
   * BC has no promotion codes, stacking or priorities, and no channel scope: promotions map as
   * automatic, exclusive, priority 0, for every channel (the best single promotion applies).
   */
  promotion(row: BcRow, context: PriceMappingContext): Promotion {
    const discountType = known(
      mapEnum(row.discountType, DISCOUNT_TYPES),
      'discountType',
      row.discountType,
    );
    const scopes: Record<'items' | 'itemGroups' | 'customers', string[]> = {
      items: [],
      itemGroups: [],
      customers: [],
    };
    const rawScopes = Array.isArray(row.scopes) ? (row.scopes as Record<string, unknown>[]) : null;
    if (rawScopes === null) throw new UnmappableRecordError('scopes is not a list.');
    for (const scope of [...rawScopes].sort(
      (a, b) => Number(a.lineNumber) - Number(b.lineNumber),
    )) {
      const target = known(mapEnum(scope.type, SCOPE_TYPES), 'scopes.type', scope.type);
      scopes[target].push(text(scope.code, 'scopes.code'));
    }
    return {
      code: text(row.code, 'code'),
      description: textOrNull(row.description) ?? text(row.code, 'code'),
      discountType,
      discountPercent:
        discountType === 'PERCENT_OFF' ? decimal(row.discountPercent, 'discountPercent') : null,
      discountAmount:
        discountType === 'AMOUNT_OFF' ? decimal(row.discountAmount, 'discountAmount') : null,
      fixedPrice: null,
      currency:
        discountType === 'AMOUNT_OFF' ? bcCurrency(row.currencyCode, context.localCurrency) : null,
      minQuantity: optionalDecimal(row.minimumQuantity, 'minimumQuantity'),
      validFrom: startDate(row.startingDate),
      validTo: optionalDate(row.endingDate) ?? END_OF_TIME,
      active: known(mapEnum(row.status, STATUSES), 'status', row.status),
      requiresCode: false,
      stackable: false,
      priority: 0,
      ...scopes,
      channels: [],
    };
  },
};
