import { RecordReader, type RecordCheck } from '../../../platform/delta-sync/index.js';
import {
  CONTRACT_PRICE_TYPES,
  type Contract,
  PRICE_LIST_TYPES,
  type PriceList,
  type PriceListEntry,
  PROMOTION_DISCOUNT_TYPES,
  type Promotion,
} from '../domain/price-data.js';

/*
 * The hub's checks of price records an ERP adapter delivered: every rule a record must meet to be
 * priced with, each failure named with its field. Adapters need not duplicate them; they map.
 * Normalisation: codes trimmed, UoM and currency upper-case, decimals in canonical spelling.
 */

const CURRENCY = /^[A-Z]{3}$/;
const MONEY = { maxScale: 4, sign: 'non-negative' } as const;
const QUANTITY = { maxScale: 6, maxIntegerDigits: 12, sign: 'non-negative' } as const;
const PERCENT = { maxScale: 4, maxIntegerDigits: 3, sign: 'positive' } as const;
const upper = (s: string): string => s.toUpperCase();

function currency(r: RecordReader, name: string, required: boolean): string | null {
  const value = required ? r.text(name) : r.optionalText(name);
  if (value === null || value === '') return value;
  const code = value.toUpperCase();
  if (!CURRENCY.test(code)) r.problem(name, 'NOT_A_CURRENCY', `${name} must be an ISO 4217 code`);
  return code;
}

function validity(
  r: RecordReader,
  toRequired: boolean,
): { validFrom: string; validTo: string | null } {
  const validFrom = r.date('validFrom');
  const validTo = r.optionalDate('validTo', toRequired);
  if (validFrom !== '' && validTo !== null && validTo < validFrom) {
    r.problem('validTo', 'BEFORE_VALID_FROM', 'validTo must not be before validFrom');
  }
  return { validFrom, validTo };
}

const result = <T>(r: RecordReader, value: T): RecordCheck<T> =>
  r.problems.length > 0 ? { ok: false, problems: r.problems } : { ok: true, value };

export function checkPriceList(input: unknown): RecordCheck<PriceList> {
  const r = RecordReader.of(input);
  const code = r.key('code');
  const description = r.optionalText('description') ?? code;
  const type = r.oneOf('type', PRICE_LIST_TYPES);
  const cur = currency(r, 'currency', true) ?? '';
  const customerId = r.optionalKey('customerId');
  if (type === 'CUSTOMER' && customerId === null) {
    r.problem('customerId', 'REQUIRED', 'a CUSTOMER price list needs its customerId');
  }
  if (type === 'BASE' && customerId !== null) {
    r.problem('customerId', 'NOT_ALLOWED', 'a BASE price list belongs to no customer');
  }
  const { validFrom, validTo } = validity(r, false);
  const active = r.boolean('active');
  return result(r, {
    code,
    description,
    type,
    currency: cur,
    customerId,
    validFrom,
    validTo,
    active,
  });
}

export function checkPriceListEntry(input: unknown): RecordCheck<PriceListEntry> {
  const r = RecordReader.of(input);
  const priceListCode = r.key('priceListCode');
  const sku = r.key('sku');
  const uom = upper(r.key('uom'));
  const minQuantity = r.decimal('minQuantity', QUANTITY);
  const unitPrice = r.decimal('unitPrice', MONEY);
  return result(r, { priceListCode, sku, uom, minQuantity, unitPrice });
}

export function checkContract(input: unknown): RecordCheck<Contract> {
  const r = RecordReader.of(input);
  const contractNo = r.key('contractNo');
  const description = r.optionalText('description') ?? contractNo;
  const customerId = r.key('customerId');
  const sku = r.optionalKey('sku');
  const itemGroup = r.optionalKey('itemGroup');
  if ((sku === null) === (itemGroup === null)) {
    r.problem('sku', 'ONE_OF_SKU_OR_ITEM_GROUP', 'exactly one of sku and itemGroup must be set');
  }
  const priceType = r.oneOf('priceType', CONTRACT_PRICE_TYPES);
  const fixedPrice = r.optionalDecimal('fixedPrice', MONEY);
  const uomText = r.optionalKey('uom');
  const uom = uomText === null ? null : upper(uomText);
  const discountPercent = r.optionalDecimal('discountPercent', PERCENT);
  if (priceType === 'FIXED') {
    if (sku === null) r.problem('sku', 'REQUIRED', 'a FIXED contract is for one item');
    if (fixedPrice === null)
      r.problem('fixedPrice', 'REQUIRED', 'a FIXED contract needs fixedPrice');
    if (uom === null) r.problem('uom', 'REQUIRED', 'a FIXED contract needs the uom of its price');
  } else if (discountPercent === null) {
    r.problem('discountPercent', 'REQUIRED', 'a PERCENT_OFF contract needs discountPercent');
  }
  if (discountPercent !== null && Number(discountPercent) > 100) {
    r.problem('discountPercent', 'OUT_OF_RANGE', 'discountPercent must be at most 100');
  }
  const cur = currency(r, 'currency', true) ?? '';
  const minQuantity = r.optionalDecimal('minQuantity', QUANTITY);
  const { validFrom, validTo } = validity(r, false);
  return result(r, {
    contractNo,
    description,
    customerId,
    sku,
    itemGroup,
    priceType,
    fixedPrice: priceType === 'FIXED' ? fixedPrice : null,
    uom: priceType === 'FIXED' ? uom : null,
    currency: cur,
    discountPercent: priceType === 'PERCENT_OFF' ? discountPercent : null,
    minQuantity,
    validFrom,
    validTo,
  });
}

export function checkPromotion(input: unknown): RecordCheck<Promotion> {
  const r = RecordReader.of(input);
  const code = r.key('code');
  const description = r.optionalText('description') ?? code;
  const discountType = r.oneOf('discountType', PROMOTION_DISCOUNT_TYPES);
  const discountPercent = r.optionalDecimal('discountPercent', PERCENT);
  const discountAmount = r.optionalDecimal('discountAmount', MONEY);
  const fixedPrice = r.optionalDecimal('fixedPrice', MONEY);
  const cur = currency(r, 'currency', false);
  if (discountType === 'PERCENT_OFF' && discountPercent === null) {
    r.problem('discountPercent', 'REQUIRED', 'a PERCENT_OFF promotion needs discountPercent');
  }
  if (discountPercent !== null && Number(discountPercent) > 100) {
    r.problem('discountPercent', 'OUT_OF_RANGE', 'discountPercent must be at most 100');
  }
  if (discountType === 'AMOUNT_OFF' && discountAmount === null) {
    r.problem('discountAmount', 'REQUIRED', 'an AMOUNT_OFF promotion needs discountAmount');
  }
  if (discountType === 'FIXED_PRICE' && fixedPrice === null) {
    r.problem('fixedPrice', 'REQUIRED', 'a FIXED_PRICE promotion needs fixedPrice');
  }
  if (discountType !== 'PERCENT_OFF' && cur === null) {
    r.problem(
      'currency',
      'REQUIRED',
      `a ${discountType} promotion needs the currency of its amount`,
    );
  }
  const minQuantity = r.optionalDecimal('minQuantity', QUANTITY);
  const { validFrom, validTo } = validity(r, true);
  const active = r.boolean('active');
  const requiresCode = r.boolean('requiresCode');
  const stackable = r.boolean('stackable');
  const priority = r.integer('priority', -1_000_000, 1_000_000);
  return result(r, {
    code,
    description,
    discountType,
    discountPercent: discountType === 'PERCENT_OFF' ? discountPercent : null,
    discountAmount: discountType === 'AMOUNT_OFF' ? discountAmount : null,
    fixedPrice: discountType === 'FIXED_PRICE' ? fixedPrice : null,
    currency: discountType === 'PERCENT_OFF' ? null : cur,
    minQuantity,
    validFrom,
    validTo: validTo ?? '',
    active,
    requiresCode,
    stackable,
    priority,
    items: r.keyList('items'),
    itemGroups: r.keyList('itemGroups'),
    customers: r.keyList('customers'),
    channels: r.keyList('channels', (c) => c.toLowerCase()),
  });
}
