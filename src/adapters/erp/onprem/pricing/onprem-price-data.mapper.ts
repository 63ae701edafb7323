import type {
  Contract,
  PriceList,
  PriceListEntry,
  Promotion,
} from '../../../../modules/pricing/index.js';
import { mapEnum, textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';

/*
 * Rows of the on-prem ERP's pricing tables (src/erp-simulators/onprem/README.md) as the page
 * queries return them: every numeric and date as text (never through a float), mapped to the
 * canonical price records of the PriceDataFeed port.
 */

export interface PrPriceListRow {
  price_list_code: string;
  description: string;
  list_type: string;
  currency_code: string;
  customer_no: string | null;
  valid_from: string;
  valid_to: string | null;
}

export interface PrPriceEntryRow {
  price_list_code: string;
  item_no: string;
  uom_code: string;
  /** "0" for a pr_price_list_line (the line's own price); the break's min_qty otherwise. */
  min_qty: string;
  unit_price: string;
}

export interface PrContractRow {
  contract_no: string;
  description: string;
  customer_no: string;
  item_no: string | null;
  item_group_code: string | null;
  price_type: string;
  fixed_price: string | null;
  uom_code: string | null;
  currency_code: string;
  discount_percent: string | null;
  min_qty: string | null;
  valid_from: string;
  valid_to: string | null;
}

export interface PrPromotionRow {
  promotion_code: string;
  description: string;
  discount_type: string;
  discount_percent: string | null;
  discount_amount: string | null;
  currency_code: string | null;
  min_qty: string | null;
  valid_from: string;
  valid_to: string;
  status: string;
}

export interface PrPromotionScopeRow {
  promotion_code: string;
  scope_no: number;
  scope_type: string;
  item_no: string | null;
  item_group_code: string | null;
  customer_no: string | null;
}

const LIST_TYPES: Record<string, PriceList['type']> = { BASE: 'BASE', CUSTOMER: 'CUSTOMER' };
const CONTRACT_TYPES: Record<string, Contract['priceType']> = {
  FIXED: 'FIXED',
  PERCENT_OFF: 'PERCENT_OFF',
};
const DISCOUNT_TYPES: Record<string, Promotion['discountType']> = {
  PERCENT_OFF: 'PERCENT_OFF',
  AMOUNT_OFF: 'AMOUNT_OFF',
};
const PROMOTION_STATUSES: Record<string, boolean> = { ACTIVE: true, INACTIVE: false };

function required<T>(value: T | undefined, column: string, raw: unknown): T {
  if (value === undefined) {
    throw new UnmappableRecordError(
      `${column} has a value the adapter does not know: ${JSON.stringify(raw)}.`,
    );
  }
  return value;
}

/** numeric text without padding zeros (`"12.500000"` → `"12.5"`); null stays null. */
function decimalText(value: string | null, column: string): string | null {
  if (value === null) return null;
  if (!/^-?\d+(\.\d+)?$/.test(value)) {
    throw new UnmappableRecordError(`${column} is not a decimal (got ${JSON.stringify(value)}).`);
  }
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

export const OnPremPriceDataMapper = {
  priceList(row: PrPriceListRow): PriceList {
    return {
      code: row.price_list_code,
      description: row.description,
      type: required(mapEnum(row.list_type, LIST_TYPES), 'list_type', row.list_type),
      currency: row.currency_code,
      customerId: textOrNull(row.customer_no),
      validFrom: row.valid_from,
      validTo: row.valid_to,
      // The reference ERP has no status on price lists: a list exists or it is deleted.
      active: true,
    };
  },

  entry(row: PrPriceEntryRow): PriceListEntry {
    return {
      priceListCode: row.price_list_code,
      sku: row.item_no,
      uom: row.uom_code,
      minQuantity: decimalText(row.min_qty, 'min_qty') ?? '0',
      unitPrice: decimalText(row.unit_price, 'unit_price') ?? '0',
    };
  },

  contract(row: PrContractRow): Contract {
    const priceType = required(
      mapEnum(row.price_type, CONTRACT_TYPES),
      'price_type',
      row.price_type,
    );
    return {
      contractNo: row.contract_no,
      description: row.description,
      customerId: row.customer_no,
      sku: textOrNull(row.item_no),
      itemGroup: textOrNull(row.item_group_code),
      priceType,
      fixedPrice: priceType === 'FIXED' ? decimalText(row.fixed_price, 'fixed_price') : null,
      uom: priceType === 'FIXED' ? textOrNull(row.uom_code) : null,
      currency: row.currency_code,
      discountPercent:
        priceType === 'PERCENT_OFF' ? decimalText(row.discount_percent, 'discount_percent') : null,
      minQuantity: decimalText(row.min_qty, 'min_qty'),
      validFrom: row.valid_from,
      validTo: row.valid_to,
    };
  },

  /**
   * The reference ERP has no promotion codes, stacking or priorities, and no channel scope: its
   * promotions map as automatic, exclusive, priority 0, for every channel (the best single
   * promotion applies), as the PriceDataFeed contract says.
   */
  promotion(row: PrPromotionRow, scopes: PrPromotionScopeRow[]): Promotion {
    const discountType = required(
      mapEnum(row.discount_type, DISCOUNT_TYPES),
      'discount_type',
      row.discount_type,
    );
    const scope = (type: string, pick: (s: PrPromotionScopeRow) => string | null): string[] =>
      scopes
        .filter((s) => s.scope_type === type)
        .map(pick)
        .filter((code): code is string => code !== null);
    for (const s of scopes) {
      if (!['ITEM', 'ITEM_GROUP', 'CUSTOMER'].includes(s.scope_type)) {
        throw new UnmappableRecordError(
          `scope ${s.scope_no} has an unknown scope_type ${JSON.stringify(s.scope_type)}.`,
        );
      }
    }
    return {
      code: row.promotion_code,
      description: row.description,
      discountType,
      discountPercent:
        discountType === 'PERCENT_OFF'
          ? decimalText(row.discount_percent, 'discount_percent')
          : null,
      discountAmount:
        discountType === 'AMOUNT_OFF' ? decimalText(row.discount_amount, 'discount_amount') : null,
      fixedPrice: null,
      currency: discountType === 'AMOUNT_OFF' ? textOrNull(row.currency_code) : null,
      minQuantity: decimalText(row.min_qty, 'min_qty'),
      validFrom: row.valid_from,
      validTo: row.valid_to,
      active: required(mapEnum(row.status, PROMOTION_STATUSES), 'status', row.status),
      requiresCode: false,
      stackable: false,
      priority: 0,
      items: scope('ITEM', (s) => textOrNull(s.item_no)),
      itemGroups: scope('ITEM_GROUP', (s) => textOrNull(s.item_group_code)),
      customers: scope('CUSTOMER', (s) => textOrNull(s.customer_no)),
      channels: [],
    };
  },
};
