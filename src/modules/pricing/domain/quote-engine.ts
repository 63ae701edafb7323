import { createHash } from 'node:crypto';
import { isFractionOfCountedUnit } from '../../master-data/index.js';
import {
  compareFixedText,
  type ContractView,
  type CustomerView,
  type EntryGroup,
  type EntryView,
  type ItemView,
  type PriceIndex,
  type PriceListView,
  type PromotionView,
  unitPriceOf,
} from './price-index.js';
import {
  currencyScale,
  Money,
  ONE,
  parseMoney,
  roundMoney,
  compareMoney,
  roundToString,
  UNIT_PRICE_SCALE,
  ZERO,
} from './pricing-decimal.js';
import type {
  AppliedPromotion,
  AppliedQuantityBreak,
  LineViolation,
  PricedLine,
  PricedQuote,
  PriceSource,
  PromotionCodeResult,
  QuoteEvaluation,
  QuoteInput,
  QuoteLineInput,
  QuoteRefusal,
  TraceEntry,
  TraceReason,
} from './quote.js';

/*
 * The quote engine: pure, synchronous, deterministic. Given the same index content and input it
 * returns the same prices, trace and priceVersion, whatever order the index was filled in (every
 * candidate list is ordered by key, every ranking ends on a unique key).
 *
 * Precedence, per line (README "## Pricing" states the same for channel teams):
 *  1. Price books give the list price. Candidates: the CUSTOMER books of the customer and of its
 *     ancestors (own account first), then the BASE books of the quote currency. Within a level the
 *     newest validFrom wins (then the lowest code). The first applicable candidate wins.
 *     In a book, the entries of the ordered UoM are used if there are any, else those of the base
 *     UoM, else another UoM of the item (by code); prices convert by the UoM factors. Quantity
 *     breaks compare in the base UoM: a break "from 12 EA" applies to 1 CASE of 12. Among the
 *     breaks the quantity reaches, the lowest price applies.
 *  2. Contracts beat every price book: the customer's own before its parent's (and so on up),
 *     an item contract before an item-group contract of the same account, then the lowest price,
 *     then the lowest contract number. FIXED sets the price (per its UoM, converted); PERCENT_OFF
 *     takes its percentage off the list price of step 1 (no list price: it cannot apply).
 *  3. Promotions running on the pricing date (active, within their dates) are the candidates:
 *     qualifying ones (code, customer, channel, currency, minimum quantity) in order of priority (highest first),
 *     then the larger discount, then code. A stackable one applies on top of those before it
 *     (percentages compound); an exclusive one applies only if nothing applied before it, and then
 *     nothing after it does. A promotion never takes the price below zero.
 *  4. The unit price is rounded once, to 4 decimals, half-up; the extended price is that unit
 *     price × quantity rounded half-up to the currency's minor unit (2 for USD, CAD, EUR).
 * Validity dates are inclusive on both ends and compared with the pricing date as calendar dates.
 */

const MAX_HIERARCHY_DEPTH = 10;
const PRICE_VERSION_PREFIX = 'pv1_';

interface Account {
  id: string;
  /** 0 = the customer itself, 1 = its parent, ... */
  level: number;
  view: CustomerView | undefined;
}

interface QuoteContext {
  index: PriceIndex;
  currency: string;
  date: string;
  chain: Account[];
  chainIds: Set<string>;
  codes: Set<string>;
  channel: { name: string; kind: string } | null;
  /** Every record considered, for the priceVersion (duplicates are harmless). */
  fingerprints: string[];
  appliedCodes: Set<string>;
}

interface LineContext {
  item: ItemView;
  /** Upper-case ordered UoM. */
  uom: string;
  factor: Money;
  quantity: Money;
  baseQuantity: Money;
}

interface BookCandidate {
  list: PriceListView;
  level: number | null;
  source: Exclude<PriceSource, 'CONTRACT'>;
  trace: TraceEntry;
  price: Money | null;
  /** The chosen entry and the UoM group it came from (when applicable). */
  tier: EntryView | null;
  tiers: EntryView[];
  groupUom: string | null;
}

interface ContractCandidate {
  contract: ContractView;
  level: number;
  specificity: number;
  trace: TraceEntry;
  price: Money | null;
}

/** The refusal for a customer the hub does not know (or the caller may not see: same words). */
export function unknownCustomerRefusal(customerId: string): QuoteRefusal {
  return {
    code: 'UNKNOWN_CUSTOMER',
    field: 'customerId',
    message: `No customer ${customerId} is known to the hub.`,
  };
}

/** The customer's number, its parent account's, and so on up; undefined for an unknown customer. */
export function customerAccountChain(index: PriceIndex, customerId: string): string[] | undefined {
  const customer = index.customer(customerId);
  return customer ? accountChain(index, customer).map((a) => a.id) : undefined;
}

export function evaluateQuote(index: PriceIndex, input: QuoteInput): QuoteEvaluation {
  const customer = index.customer(input.customerId);
  if (!customer) return { ok: false, refusal: unknownCustomerRefusal(input.customerId) };
  const shipToId = input.shipToId ?? null;
  if (shipToId !== null && !customer.shipTos.has(shipToId.toUpperCase())) {
    return refuse(
      'UNKNOWN_SHIP_TO',
      'shipToId',
      `Customer ${customer.id} has no ship-to address ${shipToId}.`,
    );
  }
  const currency = (input.currency ?? customer.currency).toUpperCase();
  if (currency !== customer.currency) {
    return refuse(
      'CURRENCY_MISMATCH',
      'currency',
      `Customer ${customer.id} is invoiced in ${customer.currency}; it cannot be quoted in ${currency}.`,
    );
  }
  const chain = accountChain(index, customer);
  const ctx: QuoteContext = {
    index,
    currency,
    date: input.pricingDate,
    chain,
    chainIds: new Set(chain.map((a) => a.id)),
    codes: new Set((input.promotionCodes ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean)),
    channel: input.channel ?? null,
    fingerprints: [],
    appliedCodes: new Set(),
  };
  for (const account of chain) {
    ctx.fingerprints.push(account.view?.fingerprint ?? `customer:${account.id}:unknown`);
  }
  const extendedValues = new Map<PricedLine, Money>();
  const lines = input.lines.map((line, i) => priceLine(ctx, line, i, extendedValues));
  const promotionCodes: PromotionCodeResult[] = [...ctx.codes].sort().map((code) => {
    const known = index.promotionByCode(code);
    ctx.fingerprints.push(known?.fingerprint ?? `promo-code:${code}:unknown`);
    return {
      code,
      status: !known ? 'UNKNOWN' : ctx.appliedCodes.has(code) ? 'APPLIED' : 'NOT_APPLIED',
    };
  });
  const scale = currencyScale(currency);
  let subtotal = ZERO;
  let priced = 0;
  for (const line of lines) {
    const extended = extendedValues.get(line);
    if (line.status !== 'PRICED' || extended === undefined) continue;
    priced += 1;
    subtotal = subtotal.add(extended);
  }
  const quote: PricedQuote = {
    customerId: customer.id,
    shipToId,
    currency,
    pricingDate: input.pricingDate,
    priceVersion: priceVersionOf(ctx.fingerprints),
    lines,
    promotionCodes,
    totals: {
      lineCount: lines.length,
      pricedLineCount: priced,
      rejectedLineCount: lines.length - priced,
      subtotal: roundToString(subtotal, scale),
    },
  };
  return { ok: true, quote };
}

/** A hash of every record a quote considered: equal data, equal version; any change, a new one. */
export function priceVersionOf(fingerprints: Iterable<string>): string {
  const unique = [...new Set(fingerprints)].sort();
  const hash = createHash('sha256').update(unique.join('\n')).digest('hex');
  return `${PRICE_VERSION_PREFIX}${hash.slice(0, 32)}`;
}

function refuse(
  code: 'UNKNOWN_CUSTOMER' | 'UNKNOWN_SHIP_TO' | 'CURRENCY_MISMATCH',
  field: string,
  message: string,
): QuoteEvaluation {
  return { ok: false, refusal: { code, field, message } };
}

/** The customer, then its parent account, and so on up (a parent may not be in the hub yet). */
function accountChain(index: PriceIndex, customer: CustomerView): Account[] {
  const chain: Account[] = [{ id: customer.id, level: 0, view: customer }];
  let parentId = customer.parentId;
  while (parentId !== null && chain.length <= MAX_HIERARCHY_DEPTH) {
    if (chain.some((a) => a.id === parentId)) break;
    const view = index.customer(parentId);
    chain.push({ id: parentId, level: chain.length, view });
    parentId = view?.parentId ?? null;
  }
  return chain;
}

// ---- one line ---------------------------------------------------------------------------------

function priceLine(
  ctx: QuoteContext,
  input: QuoteLineInput,
  i: number,
  extendedValues: Map<PricedLine, Money>,
): PricedLine {
  const line: PricedLine = {
    lineNo: i + 1,
    sku: input.sku,
    quantity: input.quantity,
    uom: input.uom,
    status: 'REJECTED',
    unitPrice: null,
    extendedPrice: null,
    priceUom: null,
    listPrice: null,
    source: null,
    sourceRef: null,
    quantityBreak: null,
    promotions: [],
    trace: [],
    violations: [],
  };
  const violation = (code: LineViolation['code'], field: string, message: string): PricedLine => {
    line.violations.push({ code, field: `lines[${i}].${field}`, message });
    return line;
  };
  const quantity = parseMoney(input.quantity);
  if (quantity === null || compareMoney(quantity, ZERO) <= 0) {
    return violation('INVALID_QUANTITY', 'quantity', 'quantity must be a decimal greater than 0');
  }
  line.quantity = quantity.toFixed();
  const item = ctx.index.item(input.sku);
  if (!item) {
    ctx.fingerprints.push(`item:${input.sku}:unknown`);
    return violation('ITEM_NOT_FOUND', 'sku', `No item with SKU ${input.sku} is known to the hub.`);
  }
  ctx.fingerprints.push(item.fingerprint);
  if (item.status === 'BLOCKED') {
    return violation('ITEM_NOT_SELLABLE', 'sku', `Item ${item.sku} is blocked and cannot be sold.`);
  }
  const uom = input.uom.toUpperCase();
  const factor = item.factors.get(uom);
  if (!factor) {
    return violation(
      'UOM_NOT_CONVERTIBLE',
      'uom',
      `Item ${item.sku} is not sold in ${input.uom}; its units are ${[...item.factors.keys()].join(', ')}.`,
    );
  }
  if (isFractionOfCountedUnit(line.quantity, uom)) {
    return violation(
      'QUANTITY_NOT_DIVISIBLE',
      'quantity',
      `${input.uom} is counted in whole units: ${input.quantity} is not a whole number.`,
    );
  }
  const lc: LineContext = {
    item,
    uom,
    factor,
    quantity,
    baseQuantity: uom === item.baseUomKey ? quantity : quantity.mul(factor),
  };

  const books = evaluateBooks(ctx, lc);
  const book = books.find((b) => b.price !== null) ?? null;
  const listPrice = book?.price ?? null;
  const contracts = evaluateContracts(ctx, lc, listPrice);
  const contract = contracts.find((c) => c.price !== null) ?? null;

  rankBooks(books, book, contract);
  rankContracts(contracts, contract);
  const breakTrace = book ? quantityBreakTrace(lc, book) : [];

  let price: Money;
  let priceText: string | null;
  let source: PriceSource;
  let sourceRef: string;
  if (contract && contract.price !== null) {
    price = contract.price;
    priceText = contract.trace.unitPrice ?? null;
    source = 'CONTRACT';
    sourceRef = contract.contract.record.contractNo;
  } else if (book && book.price !== null) {
    price = book.price;
    priceText = book.trace.unitPrice ?? null;
    source = book.source;
    sourceRef = book.list.record.code;
  } else {
    line.trace = [...contracts.map((c) => c.trace), ...books.map((b) => b.trace)];
    return violation(
      'NO_PRICE',
      'sku',
      `No contract or price book prices item ${item.sku} in ${ctx.currency} on ${ctx.date} for this quantity.`,
    );
  }
  const usesBook =
    book !== null &&
    (source !== 'CONTRACT' || contract?.contract.record.priceType === 'PERCENT_OFF');

  const promotions = evaluatePromotions(ctx, lc, price);
  const unitPrice = roundMoney(promotions.price, UNIT_PRICE_SCALE);
  const extended = roundMoney(unitPrice.mul(quantity), currencyScale(ctx.currency));
  extendedValues.set(line, extended);
  line.status = 'PRICED';
  line.unitPrice =
    promotions.applied.length === 0 && priceText !== null
      ? priceText
      : roundToString(unitPrice, UNIT_PRICE_SCALE);
  line.extendedPrice = roundToString(extended, currencyScale(ctx.currency));
  line.priceUom = uom;
  line.listPrice = book?.trace.unitPrice ?? null;
  line.source = source;
  line.sourceRef = sourceRef;
  line.quantityBreak = usesBook && book ? appliedBreak(lc, book) : null;
  line.promotions = promotions.applied;
  line.trace = [
    ...contracts.map((c) => c.trace),
    ...books.map((b) => b.trace),
    ...(usesBook ? breakTrace : []),
    ...promotions.trace,
  ];
  return line;
}

// ---- price books ------------------------------------------------------------------------------

function evaluateBooks(ctx: QuoteContext, lc: LineContext): BookCandidate[] {
  const candidates: BookCandidate[] = [];
  for (const group of ctx.index.entryGroupsOf(lc.item.sku)) {
    const code = group.priceListCode;
    const list = ctx.index.priceList(code);
    if (!list) continue;
    const record = list.record;
    let level: number | null = null;
    if (record.type === 'BASE') {
      // Base books of other currencies are not candidates at all.
      if (record.currency !== ctx.currency) continue;
    } else {
      const account = ctx.chain.find((a) => a.id === record.customerId);
      if (!account) continue;
      level = account.level;
    }
    ctx.fingerprints.push(list.fingerprint);
    ctx.fingerprints.push(group.fingerprint);
    const source = record.type === 'BASE' ? 'BASE_PRICE_BOOK' : 'CUSTOMER_PRICE_BOOK';
    const trace: TraceEntry = {
      rule: source,
      ref: code,
      outcome: 'NOT_APPLICABLE',
      reason: 'INACTIVE',
      detail: '',
    };
    if (record.customerId !== null) trace.account = record.customerId;
    const candidate: BookCandidate = {
      list,
      level,
      source,
      trace,
      price: null,
      tier: null,
      tiers: [],
      groupUom: null,
    };
    candidates.push(candidate);
    const validity = validityProblem(record.validFrom, record.validTo, ctx.date, record.active);
    if (validity) {
      trace.reason = validity.reason;
      trace.detail = `Price list ${code} ${validity.detail}.`;
      continue;
    }
    if (record.currency !== ctx.currency) {
      trace.reason = 'CURRENCY_MISMATCH';
      trace.detail = `Price list ${code} is in ${record.currency}, the quote in ${ctx.currency}.`;
      continue;
    }
    const chosen = chooseTier(lc, group);
    if (chosen === null || chosen.tier === null) {
      trace.reason = chosen === null ? 'UOM_NOT_CONVERTIBLE' : 'BELOW_MIN_QUANTITY';
      trace.detail =
        chosen === null
          ? `Price list ${code} prices ${lc.item.sku} only in units the item does not convert.`
          : `Price list ${code} prices ${lc.item.sku} only from a quantity this line does not reach.`;
      continue;
    }
    candidate.price = chosen.price;
    candidate.tier = chosen.tier;
    candidate.tiers = chosen.tiers;
    candidate.groupUom = chosen.groupUom;
    trace.unitPrice = chosen.text;
  }
  // Customer books (own account first, newest first), then base books (newest first).
  return candidates.sort((a, b) => {
    const la = a.level ?? Number.MAX_SAFE_INTEGER;
    const lb = b.level ?? Number.MAX_SAFE_INTEGER;
    if (la !== lb) return la - lb;
    if (a.list.record.validFrom !== b.list.record.validFrom) {
      return a.list.record.validFrom > b.list.record.validFrom ? -1 : 1;
    }
    return a.list.record.code < b.list.record.code ? -1 : 1;
  });
}

/**
 * The entries of one book for the line: those of the ordered UoM, else the base UoM, else another
 * convertible UoM (by code). Of the tiers the line's base quantity reaches, the lowest price wins;
 * on a tie, the higher break. (Tiers of one UoM convert by the same factor, so they compare in
 * their own unit and only the winner is converted.) null: no convertible UoM at all.
 */
function chooseTier(
  lc: LineContext,
  group: EntryGroup,
): {
  tier: EntryView | null;
  tiers: EntryView[];
  groupUom: string;
  price: Money;
  text: string;
} | null {
  let firstUom: string | null = null;
  const tryUom = (uom: string) => {
    const groupFactor = lc.item.factors.get(uom);
    if (!groupFactor) return null;
    // The group is ordered by UoM, then minQuantity: this UoM's tiers are one ascending run.
    const tiers = group.entries.filter((e) => e.uom === uom);
    if (tiers.length === 0) return null;
    firstUom ??= uom;
    let best: EntryView | null = null;
    for (const tier of tiers) {
      // Ascending by minQuantity: the first one out of reach ends the scan.
      if (compareMoney(minBaseQuantity(tier, groupFactor), lc.baseQuantity) > 0) break;
      if (best === null || compareFixedText(tier.unitPriceText, best.unitPriceText) <= 0) {
        best = tier;
      }
    }
    if (best === null) return null;
    const same = groupFactor === lc.factor;
    const price = same ? unitPriceOf(best) : convert(unitPriceOf(best), groupFactor, lc.factor);
    return {
      tier: best,
      tiers,
      groupUom: uom,
      price,
      text: same ? best.unitPriceText : roundToString(price, UNIT_PRICE_SCALE),
    };
  };
  const base = lc.item.baseUom.toUpperCase();
  const chosen =
    tryUom(lc.uom) ??
    (base !== lc.uom ? tryUom(base) : null) ??
    [...new Set(group.entries.map((e) => e.uom))]
      .filter((u) => u !== lc.uom && u !== base)
      .reduce<ReturnType<typeof tryUom>>((found, uom) => found ?? tryUom(uom), null);
  if (chosen) return chosen;
  return firstUom === null
    ? null
    : { tier: null, tiers: [], groupUom: firstUom, price: ZERO, text: '' };
}

/** A break's minimum in base units, cached on the entry for the item's current factor object. */
function minBaseQuantity(tier: EntryView, groupFactor: Money): Money {
  if (tier.minBase === null || tier.minBase.factor !== groupFactor) {
    tier.minBase = { factor: groupFactor, value: tier.minQuantity.mul(groupFactor) };
  }
  return tier.minBase.value;
}

/** A price per one `fromFactor` unit, as a price per one `toFactor` unit (factors in base units). */
function convert(price: Money, fromFactor: Money, toFactor: Money): Money {
  return fromFactor === toFactor || compareMoney(fromFactor, toFactor) === 0
    ? price
    : price.mul(toFactor).div(fromFactor);
}

function rankBooks(
  books: BookCandidate[],
  winner: BookCandidate | null,
  contract: ContractCandidate | null,
): void {
  for (const book of books) {
    if (book.price === null) continue;
    const t = book.trace;
    if (book === winner) {
      if (contract === null) {
        t.outcome = 'WON';
        t.reason = 'HIGHEST_PRECEDENCE';
        t.detail = `Sets the price: no contract applies and no price book ranks higher.`;
      } else if (contract.contract.record.priceType === 'PERCENT_OFF') {
        t.outcome = 'BASIS';
        t.reason = 'LIST_PRICE_FOR_CONTRACT';
        t.detail = `Price list ${t.ref} gives the list price that contract ${contract.contract.record.contractNo} discounts.`;
      } else {
        t.outcome = 'LOST';
        t.reason = 'OUTRANKED';
        t.detail = `Contract ${contract.contract.record.contractNo} takes precedence over every price book.`;
      }
      continue;
    }
    t.outcome = 'LOST';
    if (winner && winner.level === book.level) {
      t.reason = 'SUPERSEDED';
      t.detail = `Price list ${winner.list.record.code} of the same rank is newer (or first by code).`;
    } else {
      t.reason = 'OUTRANKED';
      t.detail = `Price list ${winner?.list.record.code ?? ''} ranks higher.`;
    }
  }
}

function quantityBreakTrace(lc: LineContext, book: BookCandidate): TraceEntry[] {
  if (book.groupUom === null) return [];
  const groupFactor = lc.item.factors.get(book.groupUom) as Money;
  const out: TraceEntry[] = [];
  for (const tier of book.tiers) {
    if (tier.minQuantity.isZero()) continue;
    const minBase = minBaseQuantity(tier, groupFactor);
    const price =
      groupFactor === lc.factor
        ? tier.unitPriceText
        : roundToString(convert(unitPriceOf(tier), groupFactor, lc.factor), UNIT_PRICE_SCALE);
    const what = `Break from ${tier.minQuantityText} ${tier.uom} (${minBase.toFixed()} ${lc.item.baseUom})`;
    let outcome: TraceEntry['outcome'];
    let reason: TraceReason;
    let detail: string;
    if (compareMoney(minBase, lc.baseQuantity) > 0) {
      outcome = 'NOT_REACHED';
      reason = 'BELOW_BREAK';
      detail = `${what}: the line has ${lc.baseQuantity.toFixed()} ${lc.item.baseUom}.`;
    } else if (tier === book.tier) {
      outcome = 'APPLIED';
      reason = 'BREAK_REACHED';
      detail = `${what} applies.`;
    } else {
      outcome = 'LOST';
      reason = 'HIGHER_PRICE';
      detail = `${what} is reached; a lower price of this book is too.`;
    }
    out.push({
      rule: 'QUANTITY_BREAK',
      ref: book.list.record.code,
      outcome,
      reason,
      minQuantity: tier.minQuantityText,
      uom: tier.uom,
      unitPrice: price,
      detail,
    });
  }
  return out;
}

function appliedBreak(lc: LineContext, book: BookCandidate): AppliedQuantityBreak | null {
  const tier = book.tier;
  if (tier === null || tier.minQuantity.isZero() || book.groupUom === null) return null;
  const groupFactor = lc.item.factors.get(book.groupUom) as Money;
  return {
    priceList: book.list.record.code,
    minQuantity: tier.minQuantityText,
    uom: tier.uom,
    minBaseQuantity: minBaseQuantity(tier, groupFactor).toFixed(),
    baseUom: lc.item.baseUom,
  };
}

// ---- contracts --------------------------------------------------------------------------------

function evaluateContracts(
  ctx: QuoteContext,
  lc: LineContext,
  listPrice: Money | null,
): ContractCandidate[] {
  const out: ContractCandidate[] = [];
  for (const account of ctx.chain) {
    for (const contract of ctx.index.contractsOf(account.id)) {
      const record = contract.record;
      const forItem = record.sku === lc.item.sku;
      if (!forItem && (record.itemGroup === null || record.itemGroup !== lc.item.itemGroup))
        continue;
      ctx.fingerprints.push(contract.fingerprint);
      const candidate: ContractCandidate = {
        contract,
        level: account.level,
        specificity: forItem ? 0 : 1,
        price: null,
        trace: {
          rule: 'CONTRACT',
          ref: record.contractNo,
          outcome: 'NOT_APPLICABLE',
          reason: 'INACTIVE',
          account: account.id,
          detail: '',
        },
      };
      out.push(candidate);
      const notApplicable = (reason: TraceReason, detail: string): void => {
        candidate.trace.reason = reason;
        candidate.trace.detail = `Contract ${record.contractNo} ${detail}.`;
      };
      const validity = validityProblem(record.validFrom, record.validTo, ctx.date, true);
      if (validity) {
        notApplicable(validity.reason, validity.detail);
        continue;
      }
      if (record.currency !== ctx.currency) {
        notApplicable(
          'CURRENCY_MISMATCH',
          `is in ${record.currency}, the quote in ${ctx.currency}`,
        );
        continue;
      }
      if (
        contract.minQuantity !== null &&
        compareMoney(lc.baseQuantity, contract.minQuantity) < 0
      ) {
        notApplicable(
          'BELOW_MIN_QUANTITY',
          `needs at least ${contract.minQuantity.toFixed()} ${lc.item.baseUom}; the line has ${lc.baseQuantity.toFixed()}`,
        );
        continue;
      }
      if (record.priceType === 'FIXED') {
        const contractFactor =
          record.uom === null ? undefined : lc.item.factors.get(record.uom.toUpperCase());
        if (contractFactor === undefined || contract.fixedPrice === null) {
          notApplicable(
            'UOM_NOT_CONVERTIBLE',
            `prices per ${record.uom ?? '?'}, a unit ${lc.item.sku} does not convert`,
          );
          continue;
        }
        candidate.price = convert(contract.fixedPrice, contractFactor, lc.factor);
        if (contractFactor === lc.factor) candidate.trace.unitPrice = contract.fixedPriceText ?? '';
      } else {
        if (listPrice === null || contract.discountFraction === null) {
          notApplicable(
            'NO_LIST_PRICE',
            'takes a percentage off the list price, and no price book prices this line',
          );
          continue;
        }
        candidate.price = listPrice.mul(ONE.sub(contract.discountFraction));
      }
      candidate.trace.unitPrice ??= roundToString(candidate.price, UNIT_PRICE_SCALE);
    }
  }
  return out.sort((a, b) => {
    if (a.level !== b.level) return a.level - b.level;
    if (a.specificity !== b.specificity) return a.specificity - b.specificity;
    if (a.price !== null && b.price !== null) {
      const byPrice = compareMoney(a.price, b.price);
      if (byPrice !== 0) return byPrice;
    }
    if ((a.price === null) !== (b.price === null)) return a.price === null ? 1 : -1;
    return a.contract.record.contractNo < b.contract.record.contractNo ? -1 : 1;
  });
}

function rankContracts(contracts: ContractCandidate[], winner: ContractCandidate | null): void {
  for (const c of contracts) {
    if (c.price === null) continue;
    const t = c.trace;
    const no = c.contract.record.contractNo;
    if (c === winner) {
      t.outcome = 'WON';
      t.reason = 'HIGHEST_PRECEDENCE';
      t.detail =
        c.level === 0
          ? `Contract ${no} of the customer sets the price (contracts come before price books).`
          : `Contract ${no} of parent account ${t.account ?? ''} sets the price: the customer has no applicable contract of its own.`;
      continue;
    }
    t.outcome = 'LOST';
    if (winner && winner.level === c.level && winner.specificity === c.specificity) {
      t.reason = 'HIGHER_PRICE';
      t.detail = `Contract ${winner.contract.record.contractNo} of the same rank gives a lower price.`;
    } else {
      t.reason = 'OUTRANKED';
      t.detail = `Contract ${winner?.contract.record.contractNo ?? ''} ranks higher (nearer account, or item before item group).`;
    }
  }
}

// ---- promotions -------------------------------------------------------------------------------

interface PromotionCandidate {
  promotion: PromotionView;
  /** Against the price before promotions, for ordering. */
  discount: Money;
  trace: TraceEntry;
}

function evaluatePromotions(
  ctx: QuoteContext,
  lc: LineContext,
  startPrice: Money,
): { price: Money; applied: AppliedPromotion[]; trace: TraceEntry[] } {
  const trace: TraceEntry[] = [];
  const qualifying: PromotionCandidate[] = [];
  for (const promotion of ctx.index.promotionsFor(lc.item.sku, lc.item.itemGroup)) {
    const record = promotion.record;
    // Only promotions running on the pricing date are candidates: an item group can have dozens
    // of past and future campaigns, and listing them all would bury the trace.
    if (!record.active || ctx.date < record.validFrom || ctx.date > record.validTo) continue;
    ctx.fingerprints.push(promotion.fingerprint);
    const entry: TraceEntry = {
      rule: 'PROMOTION',
      ref: record.code,
      outcome: 'NOT_APPLICABLE',
      reason: 'INACTIVE',
      detail: '',
    };
    trace.push(entry);
    const problem = promotionProblem(ctx, lc, promotion);
    if (problem) {
      entry.reason = problem.reason;
      entry.detail = `Promotion ${record.code} ${problem.detail}.`;
      continue;
    }
    qualifying.push({
      promotion,
      discount: promotionDiscount(promotion, lc, startPrice),
      trace: entry,
    });
  }
  qualifying.sort((a, b) => {
    const pa = a.promotion.record.priority;
    const pb = b.promotion.record.priority;
    if (pa !== pb) return pb - pa;
    const byDiscount = compareMoney(b.discount, a.discount);
    if (byDiscount !== 0) return byDiscount;
    return a.promotion.record.code < b.promotion.record.code ? -1 : 1;
  });
  let price = startPrice;
  const applied: AppliedPromotion[] = [];
  let exclusive: PromotionView | null = null;
  for (const candidate of qualifying) {
    const { promotion, trace: t } = candidate;
    const record = promotion.record;
    t.outcome = 'LOST';
    if (exclusive !== null) {
      t.reason = 'EXCLUDED_BY_EXCLUSIVE';
      t.detail = `Exclusive promotion ${exclusive.record.code} applies alone.`;
      continue;
    }
    if (!record.stackable && applied.length > 0) {
      t.reason = 'NOT_COMBINABLE';
      t.detail = `Promotion ${record.code} is exclusive and ${applied.map((a) => a.code).join(', ')} already applied.`;
      continue;
    }
    const discount = promotionDiscount(promotion, lc, price);
    if (compareMoney(discount, ZERO) <= 0) {
      t.reason = 'NO_REDUCTION';
      t.detail = `Promotion ${record.code} would not lower the price.`;
      continue;
    }
    price = price.sub(discount);
    t.outcome = 'APPLIED';
    t.reason = 'PROMOTION_APPLIED';
    t.unitPrice = roundToString(price, UNIT_PRICE_SCALE);
    t.detail = `Promotion ${record.code} takes ${roundToString(discount, UNIT_PRICE_SCALE)} off (${record.stackable ? 'stackable' : 'exclusive'}, priority ${record.priority}).`;
    applied.push({
      code: record.code,
      description: record.description,
      discountType: record.discountType,
      amountOff: roundToString(discount, UNIT_PRICE_SCALE),
    });
    if (record.requiresCode) ctx.appliedCodes.add(promotion.codeKey);
    if (!record.stackable) exclusive = promotion;
  }
  return { price, applied, trace };
}

function promotionProblem(
  ctx: QuoteContext,
  lc: LineContext,
  promotion: PromotionView,
): { reason: TraceReason; detail: string } | null {
  const record = promotion.record;
  if (record.requiresCode && !ctx.codes.has(promotion.codeKey)) {
    return { reason: 'CODE_REQUIRED', detail: 'needs its code, and the quote does not carry it' };
  }
  if (promotion.customers.size > 0 && !ctx.chain.some((a) => promotion.customers.has(a.id))) {
    return { reason: 'CUSTOMER_NOT_IN_SCOPE', detail: 'is for other customers' };
  }
  if (
    promotion.channels.size > 0 &&
    (ctx.channel === null ||
      (!promotion.channels.has(ctx.channel.name.toLowerCase()) &&
        !promotion.channels.has(ctx.channel.kind.toLowerCase())))
  ) {
    return { reason: 'CHANNEL_NOT_IN_SCOPE', detail: 'is for other channels' };
  }
  if (record.discountType !== 'PERCENT_OFF' && record.currency !== ctx.currency) {
    return {
      reason: 'CURRENCY_MISMATCH',
      detail: `is in ${record.currency ?? 'no currency'}, the quote in ${ctx.currency}`,
    };
  }
  if (promotion.minQuantity !== null && compareMoney(lc.baseQuantity, promotion.minQuantity) < 0) {
    return {
      reason: 'BELOW_MIN_QUANTITY',
      detail: `needs at least ${promotion.minQuantity.toFixed()} ${lc.item.baseUom}; the line has ${lc.baseQuantity.toFixed()}`,
    };
  }
  return null;
}

/** What the promotion takes off `price` (per ordered UoM), never more than the price. */
function promotionDiscount(promotion: PromotionView, lc: LineContext, price: Money): Money {
  let discount: Money;
  switch (promotion.record.discountType) {
    case 'PERCENT_OFF':
      discount = price.mul(promotion.discountFraction ?? ZERO);
      break;
    case 'AMOUNT_OFF':
      discount = (promotion.discountAmount ?? ZERO).mul(lc.factor);
      break;
    case 'FIXED_PRICE':
      discount = price.sub((promotion.fixedPrice ?? price).mul(lc.factor));
      break;
  }
  if (compareMoney(discount, ZERO) < 0) return ZERO;
  return compareMoney(discount, price) > 0 ? price : discount;
}

// ---- validity ---------------------------------------------------------------------------------

function validityProblem(
  validFrom: string,
  validTo: string | null,
  date: string,
  active: boolean,
): { reason: TraceReason; detail: string } | null {
  if (!active) return { reason: 'INACTIVE', detail: 'is inactive' };
  if (date < validFrom) return { reason: 'NOT_YET_VALID', detail: `is valid from ${validFrom}` };
  if (validTo !== null && date > validTo) {
    return { reason: 'EXPIRED', detail: `was valid until ${validTo}` };
  }
  return null;
}
