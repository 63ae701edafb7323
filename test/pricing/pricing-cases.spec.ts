import {
  evaluateQuote,
  type AppliedQuantityBreak,
  type PricedQuote,
  type PriceSource,
  type PromotionCodeResult,
  type QuoteInput,
  type QuoteLineInput,
  type TraceEntry,
} from '../../src/modules/pricing/index.js';
import {
  aBaseList,
  aContract,
  aCustomerList,
  anEntry,
  anItem,
  aPercentContract,
  aPromotion,
  buildIndex,
  type PriceWorld,
  standardWorld,
  TODAY,
} from './price-data.fixtures.js';

/*
 * The pricing rules, one named case each. Every case starts from standardWorld() (see the
 * fixtures: parent account P100 with children C101 and C102 and a customer price book CPL-P100;
 * stand-alone C200; EUR customer C300; item HX-2040 at 10.00/EA with breaks from 12 EA (9.50)
 * and 24 EA (9.00), 110.00/CASE of 12), changes what the rule needs, prices ONE line (1 EA of
 * HX-2040 for C200 on 2026-05-13 unless stated) and checks the first line.
 *
 * Dates are calendar dates: validity is inclusive on both ends, and the pricing date is the
 * caller's (the API defaults it to today in PRICING_TIME_ZONE, UTC unless configured).
 */

interface LineExpectation {
  unitPrice?: string;
  extendedPrice?: string;
  priceUom?: string;
  listPrice?: string | null;
  source?: PriceSource;
  sourceRef?: string;
  quantityBreak?: Partial<AppliedQuantityBreak> | null;
  promotions?: string[];
  violations?: string[];
  /** Each must appear in the line's trace. */
  trace?: Partial<TraceEntry>[];
}

interface PricingCase {
  name: string;
  given?: (world: PriceWorld) => void;
  quote?: Partial<Omit<QuoteInput, 'lines'>>;
  line?: Partial<QuoteLineInput>;
  lines?: QuoteLineInput[];
  expect: LineExpectation & {
    refusal?: string;
    promotionCodes?: PromotionCodeResult[];
    check?: (quote: PricedQuote) => void;
  };
}

/** Promotions not running on the pricing date are not candidates: they are not in the trace. */
const noPromotionInTrace = (quote: PricedQuote): void => {
  expect(quote.lines[0].trace.filter((t) => t.rule === 'PROMOTION')).toEqual([]);
};

const onlyItem = (sku: string, entries: [string, string, string][]) => (w: PriceWorld) => {
  w.items.push(anItem({ sku }));
  for (const [uom, minQuantity, unitPrice] of entries) {
    w.entries.push(anEntry({ sku, uom, minQuantity, unitPrice }));
  }
};

const cases: PricingCase[] = [
  // ---- precedence and the account hierarchy ----------------------------------------------------
  {
    name: 'the base price book prices a customer with no contract and no price book of its own',
    expect: {
      unitPrice: '10.0000',
      extendedPrice: '10.00',
      source: 'BASE_PRICE_BOOK',
      sourceRef: 'BASE-USD',
      trace: [{ rule: 'BASE_PRICE_BOOK', ref: 'BASE-USD', outcome: 'WON' }],
    },
  },
  {
    name: "a child account inherits its parent account's customer price book",
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '9.8000',
      source: 'CUSTOMER_PRICE_BOOK',
      sourceRef: 'CPL-P100',
      trace: [
        { ref: 'CPL-P100', outcome: 'WON', account: 'P100' },
        { ref: 'BASE-USD', outcome: 'LOST', reason: 'OUTRANKED' },
      ],
    },
  },
  {
    name: "a child account's own price book overrides the parent account's",
    given: (w) => {
      w.priceLists.push(aCustomerList('C102'));
      w.entries.push(anEntry({ priceListCode: 'CPL-C102', unitPrice: '9.70' }));
    },
    quote: { customerId: 'C102' },
    expect: {
      unitPrice: '9.7000',
      sourceRef: 'CPL-C102',
      trace: [{ ref: 'CPL-P100', outcome: 'LOST', reason: 'OUTRANKED' }],
    },
  },
  {
    name: 'a customer price book wins over the base book even when dearer (precedence, not best price)',
    given: (w) => void w.entries.push(anEntry({ priceListCode: 'CPL-P100', unitPrice: '10.50' })),
    quote: { customerId: 'C101' },
    expect: { unitPrice: '10.5000', source: 'CUSTOMER_PRICE_BOOK' },
  },
  {
    name: "a parent account's contract applies to its child accounts",
    given: (w) => void w.contracts.push(aContract()),
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '8.5000',
      source: 'CONTRACT',
      sourceRef: 'CT-000001',
      listPrice: '9.8000',
      trace: [
        { rule: 'CONTRACT', ref: 'CT-000001', outcome: 'WON', account: 'P100' },
        { ref: 'CPL-P100', outcome: 'LOST', reason: 'OUTRANKED' },
      ],
    },
  },
  {
    name: "a child's own contract overrides the parent account's, even when dearer",
    given: (w) => {
      w.contracts.push(aContract());
      w.contracts.push(
        aContract({ contractNo: 'CT-000002', customerId: 'C101', fixedPrice: '9.00' }),
      );
    },
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '9.0000',
      sourceRef: 'CT-000002',
      trace: [{ ref: 'CT-000001', outcome: 'LOST', reason: 'OUTRANKED' }],
    },
  },
  {
    name: "a child account does not get a sibling's contract",
    given: (w) => void w.contracts.push(aContract({ customerId: 'C101' })),
    quote: { customerId: 'C102' },
    expect: { unitPrice: '9.8000', source: 'CUSTOMER_PRICE_BOOK' },
  },
  {
    name: "a parent account's contract beats the child's own customer price book",
    given: (w) => {
      w.contracts.push(aContract());
      w.priceLists.push(aCustomerList('C102'));
      w.entries.push(anEntry({ priceListCode: 'CPL-C102', unitPrice: '8.00' }));
    },
    quote: { customerId: 'C102' },
    expect: { unitPrice: '8.5000', source: 'CONTRACT', listPrice: '8.0000' },
  },
  {
    name: 'an item contract beats an item-group contract of the same account',
    given: (w) => {
      w.contracts.push(aContract({ fixedPrice: '9.50' }));
      w.contracts.push(
        aPercentContract({
          contractNo: 'CT-000002',
          sku: null,
          itemGroup: 'FASTENERS',
          discountPercent: '20',
        }),
      );
    },
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '9.5000',
      sourceRef: 'CT-000001',
      trace: [{ ref: 'CT-000002', outcome: 'LOST', reason: 'OUTRANKED', unitPrice: '7.8400' }],
    },
  },
  {
    name: "the customer's own item-group contract beats the parent account's item contract",
    given: (w) => {
      w.contracts.push(aContract());
      w.contracts.push(
        aPercentContract({
          contractNo: 'CT-000003',
          customerId: 'C101',
          sku: null,
          itemGroup: 'FASTENERS',
          discountPercent: '5',
        }),
      );
    },
    quote: { customerId: 'C101' },
    expect: { unitPrice: '9.3100', sourceRef: 'CT-000003' },
  },
  {
    name: 'of two contracts of the same rank the lower price wins',
    given: (w) => {
      w.contracts.push(aContract());
      w.contracts.push(aContract({ contractNo: 'CT-000002', fixedPrice: '8.40' }));
    },
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '8.4000',
      sourceRef: 'CT-000002',
      trace: [{ ref: 'CT-000001', outcome: 'LOST', reason: 'HIGHER_PRICE' }],
    },
  },
  {
    name: 'equal prices of the same rank: the lower contract number wins',
    given: (w) => {
      w.contracts.push(aContract({ contractNo: 'CT-000009' }));
      w.contracts.push(aContract({ contractNo: 'CT-000003' }));
    },
    quote: { customerId: 'C101' },
    expect: { sourceRef: 'CT-000003' },
  },
  {
    name: 'a parent account unknown to the hub still passes its contracts down',
    given: (w) => {
      w.customers = w.customers.filter((c) => c.id !== 'P100');
      w.contracts.push(aContract());
    },
    quote: { customerId: 'C101' },
    expect: { unitPrice: '8.5000', source: 'CONTRACT' },
  },

  // ---- percentage vs fixed contracts -----------------------------------------------------------
  {
    name: 'a percent-off contract discounts the customer price book price',
    given: (w) => void w.contracts.push(aPercentContract()),
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '8.8200',
      source: 'CONTRACT',
      listPrice: '9.8000',
      trace: [{ ref: 'CPL-P100', outcome: 'BASIS', reason: 'LIST_PRICE_FOR_CONTRACT' }],
    },
  },
  {
    name: 'a percent-off contract discounts the break price the quantity reaches',
    given: (w) => void w.contracts.push(aPercentContract({ customerId: 'C200' })),
    line: { quantity: '12' },
    expect: {
      unitPrice: '8.5500',
      listPrice: '9.5000',
      quantityBreak: { priceList: 'BASE-USD', minQuantity: '12' },
    },
  },
  {
    name: 'a percent-off contract cannot apply without a list price: the line has no price',
    given: (w) => {
      w.items.push(anItem({ sku: 'NP-1' }));
      w.contracts.push(aPercentContract({ customerId: 'C200', sku: 'NP-1' }));
    },
    line: { sku: 'NP-1' },
    expect: {
      violations: ['NO_PRICE'],
      trace: [{ rule: 'CONTRACT', outcome: 'NOT_APPLICABLE', reason: 'NO_LIST_PRICE' }],
    },
  },
  {
    name: 'a fixed contract price per EA is converted to the ordered CASE',
    given: (w) => void w.contracts.push(aContract()),
    quote: { customerId: 'C101' },
    line: { uom: 'CASE' },
    expect: { unitPrice: '102.0000', priceUom: 'CASE', quantityBreak: null },
  },
  {
    name: 'a fixed contract price per CASE is converted to EA and rounded half-up at 4 decimals',
    given: (w) =>
      void w.contracts.push(aContract({ customerId: 'C200', uom: 'CASE', fixedPrice: '100.00' })),
    expect: { unitPrice: '8.3333', source: 'CONTRACT' },
  },
  {
    name: 'a converted price is rounded only at the end (100.00 per CASE → 12000.0000 per PALLET)',
    given: (w) =>
      void w.contracts.push(aContract({ customerId: 'C200', uom: 'CASE', fixedPrice: '100.00' })),
    line: { uom: 'PALLET' },
    expect: { unitPrice: '12000.0000' },
  },
  {
    name: 'a fixed contract in a unit the item does not have cannot apply',
    given: (w) => void w.contracts.push(aContract({ customerId: 'C200', uom: 'DRUM' })),
    expect: {
      unitPrice: '10.0000',
      source: 'BASE_PRICE_BOOK',
      trace: [{ rule: 'CONTRACT', outcome: 'NOT_APPLICABLE', reason: 'UOM_NOT_CONVERTIBLE' }],
    },
  },
  {
    name: 'a contract minimum quantity (base UoM) is met exactly at the minimum',
    given: (w) =>
      void w.contracts.push(
        aContract({ customerId: 'C200', fixedPrice: '8.00', minQuantity: '24' }),
      ),
    line: { quantity: '2', uom: 'CASE' },
    expect: { unitPrice: '96.0000', source: 'CONTRACT' },
  },
  {
    name: 'one below a contract minimum quantity falls back to the price book',
    given: (w) =>
      void w.contracts.push(
        aContract({ customerId: 'C200', fixedPrice: '8.00', minQuantity: '24' }),
      ),
    line: { quantity: '23' },
    expect: {
      unitPrice: '9.5000',
      source: 'BASE_PRICE_BOOK',
      trace: [{ rule: 'CONTRACT', outcome: 'NOT_APPLICABLE', reason: 'BELOW_MIN_QUANTITY' }],
    },
  },

  // ---- quantity breaks -------------------------------------------------------------------------
  {
    name: 'a quantity exactly on a break gets the break price',
    line: { quantity: '12' },
    expect: {
      unitPrice: '9.5000',
      extendedPrice: '114.00',
      quantityBreak: { priceList: 'BASE-USD', minQuantity: '12', uom: 'EA', minBaseQuantity: '12' },
      trace: [{ rule: 'QUANTITY_BREAK', minQuantity: '12', outcome: 'APPLIED' }],
    },
  },
  {
    name: 'one below a break keeps the price below it',
    line: { quantity: '11' },
    expect: {
      unitPrice: '10.0000',
      quantityBreak: null,
      trace: [
        {
          rule: 'QUANTITY_BREAK',
          minQuantity: '12',
          outcome: 'NOT_REACHED',
          reason: 'BELOW_BREAK',
        },
      ],
    },
  },
  {
    name: 'the highest break reached applies',
    line: { quantity: '30' },
    expect: {
      unitPrice: '9.0000',
      trace: [
        { rule: 'QUANTITY_BREAK', minQuantity: '12', outcome: 'LOST', reason: 'HIGHER_PRICE' },
        { rule: 'QUANTITY_BREAK', minQuantity: '24', outcome: 'APPLIED' },
      ],
    },
  },
  {
    name: 'a break defined per EA applies to an order of 1 CASE of 12',
    given: onlyItem('HX-3000', [
      ['EA', '0', '5.00'],
      ['EA', '12', '4.50'],
    ]),
    line: { sku: 'HX-3000', uom: 'CASE' },
    expect: {
      unitPrice: '54.0000',
      priceUom: 'CASE',
      quantityBreak: { minQuantity: '12', uom: 'EA', minBaseQuantity: '12', baseUom: 'EA' },
    },
  },
  {
    name: 'a CASE of 12 does not reach a break from 13 EA',
    given: onlyItem('HX-3000', [
      ['EA', '0', '5.00'],
      ['EA', '13', '4.50'],
    ]),
    line: { sku: 'HX-3000', uom: 'CASE' },
    expect: { unitPrice: '60.0000', quantityBreak: null },
  },
  {
    name: 'a break defined per CASE is reached by 60 EA (5 CASE in base units)',
    given: onlyItem('HX-4000', [
      ['CASE', '0', '60.00'],
      ['CASE', '5', '54.00'],
    ]),
    line: { sku: 'HX-4000', quantity: '60' },
    expect: {
      unitPrice: '4.5000',
      priceUom: 'EA',
      quantityBreak: { minQuantity: '5', uom: 'CASE', minBaseQuantity: '60' },
    },
  },
  {
    name: 'a break defined per CASE is not reached by 59 EA',
    given: onlyItem('HX-4000', [
      ['CASE', '0', '60.00'],
      ['CASE', '5', '54.00'],
    ]),
    line: { sku: 'HX-4000', quantity: '59' },
    expect: { unitPrice: '5.0000', quantityBreak: null },
  },
  {
    name: "the ordered unit's own price-book line wins over converting the base unit's",
    line: { uom: 'CASE' },
    expect: { unitPrice: '110.0000', priceUom: 'CASE' },
  },
  {
    name: 'among reached breaks the lowest price wins, even when the ERP lists a dearer higher break',
    given: (w) => void w.entries.push(anEntry({ minQuantity: '24', unitPrice: '9.70' })),
    line: { quantity: '30' },
    expect: {
      unitPrice: '9.5000',
      trace: [
        { rule: 'QUANTITY_BREAK', minQuantity: '24', outcome: 'LOST', reason: 'HIGHER_PRICE' },
      ],
    },
  },

  // ---- validity boundaries ---------------------------------------------------------------------
  {
    name: 'a contract applies on its first day',
    given: (w) => void w.contracts.push(aContract({ customerId: 'C200', validFrom: TODAY })),
    expect: { unitPrice: '8.5000', source: 'CONTRACT' },
  },
  {
    name: 'a contract applies on its last day',
    given: (w) => void w.contracts.push(aContract({ customerId: 'C200', validTo: TODAY })),
    expect: { unitPrice: '8.5000', source: 'CONTRACT' },
  },
  {
    name: 'a contract no longer applies the day after it ends',
    given: (w) => void w.contracts.push(aContract({ customerId: 'C200', validTo: '2026-05-12' })),
    expect: {
      unitPrice: '10.0000',
      trace: [{ rule: 'CONTRACT', outcome: 'NOT_APPLICABLE', reason: 'EXPIRED' }],
    },
  },
  {
    name: 'a contract does not apply the day before it starts',
    given: (w) => void w.contracts.push(aContract({ customerId: 'C200', validFrom: '2026-05-14' })),
    expect: {
      unitPrice: '10.0000',
      trace: [{ rule: 'CONTRACT', outcome: 'NOT_APPLICABLE', reason: 'NOT_YET_VALID' }],
    },
  },
  {
    name: 'an open-ended contract applies',
    given: (w) =>
      void w.contracts.push(
        aContract({ customerId: 'C200', validFrom: '2020-01-01', validTo: null }),
      ),
    expect: { unitPrice: '8.5000' },
  },
  {
    name: 'a customer price book that starts tomorrow does not apply yet',
    given: (w) => {
      w.priceLists = w.priceLists.filter((l) => l.code !== 'CPL-P100');
      w.priceLists.push(aCustomerList('P100', { validFrom: '2026-05-14' }));
    },
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '10.0000',
      source: 'BASE_PRICE_BOOK',
      trace: [{ ref: 'CPL-P100', outcome: 'NOT_APPLICABLE', reason: 'NOT_YET_VALID' }],
    },
  },
  {
    name: 'the newest base price book of the currency supersedes an older one',
    given: (w) => {
      w.priceLists.push(aBaseList({ code: 'BASE-USD-2026', validFrom: '2026-05-01' }));
      w.entries.push(anEntry({ priceListCode: 'BASE-USD-2026', unitPrice: '10.40' }));
    },
    expect: {
      unitPrice: '10.4000',
      sourceRef: 'BASE-USD-2026',
      trace: [{ ref: 'BASE-USD', outcome: 'LOST', reason: 'SUPERSEDED' }],
    },
  },
  {
    name: 'a base price book that has ended prices nothing',
    given: (w) => {
      w.priceLists = w.priceLists.filter((l) => l.code !== 'BASE-USD');
      w.priceLists.push(aBaseList({ validTo: '2026-05-12' }));
    },
    expect: { violations: ['NO_PRICE'] },
  },

  // ---- promotions ------------------------------------------------------------------------------
  {
    name: 'an automatic promotion applies to the price-book price',
    given: (w) => void w.promotions.push(aPromotion()),
    expect: {
      unitPrice: '9.0000',
      source: 'BASE_PRICE_BOOK',
      promotions: ['SPRING-10'],
      trace: [{ rule: 'PROMOTION', ref: 'SPRING-10', outcome: 'APPLIED', unitPrice: '9.0000' }],
    },
  },
  {
    name: 'a promotion applies on top of a contract price',
    given: (w) => {
      w.contracts.push(aContract({ customerId: 'C200' }));
      w.promotions.push(aPromotion());
    },
    expect: { unitPrice: '7.6500', source: 'CONTRACT', promotions: ['SPRING-10'] },
  },
  {
    name: 'an amount-off promotion is per base unit (12 × 0.50 off a CASE)',
    given: (w) =>
      void w.promotions.push(
        aPromotion({
          discountType: 'AMOUNT_OFF',
          discountPercent: null,
          discountAmount: '0.50',
          currency: 'USD',
        }),
      ),
    line: { uom: 'CASE' },
    expect: { unitPrice: '104.0000' },
  },
  {
    name: 'a fixed-price promotion sets the price per base unit',
    given: (w) =>
      void w.promotions.push(
        aPromotion({
          discountType: 'FIXED_PRICE',
          discountPercent: null,
          fixedPrice: '7.00',
          currency: 'USD',
        }),
      ),
    line: { uom: 'CASE' },
    expect: { unitPrice: '84.0000' },
  },
  {
    name: 'stackable promotions compound in priority order',
    given: (w) => {
      w.promotions.push(aPromotion({ code: 'P-LOW', discountPercent: '5', priority: 1 }));
      w.promotions.push(aPromotion({ code: 'P-HIGH', discountPercent: '10', priority: 2 }));
    },
    expect: { unitPrice: '8.5500', promotions: ['P-HIGH', 'P-LOW'] },
  },
  {
    name: 'an exclusive promotion first in priority applies alone',
    given: (w) => {
      w.promotions.push(
        aPromotion({ code: 'EXCL', discountPercent: '15', stackable: false, priority: 5 }),
      );
      w.promotions.push(aPromotion({ code: 'STACK', discountPercent: '10', priority: 1 }));
    },
    expect: {
      unitPrice: '8.5000',
      promotions: ['EXCL'],
      trace: [{ ref: 'STACK', outcome: 'LOST', reason: 'EXCLUDED_BY_EXCLUSIVE' }],
    },
  },
  {
    name: 'an exclusive promotion after an applied stackable one is not combined',
    given: (w) => {
      w.promotions.push(aPromotion({ code: 'STACK', discountPercent: '10', priority: 5 }));
      w.promotions.push(
        aPromotion({ code: 'EXCL', discountPercent: '20', stackable: false, priority: 1 }),
      );
    },
    expect: {
      unitPrice: '9.0000',
      promotions: ['STACK'],
      trace: [{ ref: 'EXCL', outcome: 'LOST', reason: 'NOT_COMBINABLE' }],
    },
  },
  {
    name: 'at equal priority the larger discount goes first',
    given: (w) => {
      w.promotions.push(aPromotion({ code: 'A-5', discountPercent: '5', stackable: false }));
      w.promotions.push(aPromotion({ code: 'B-12', discountPercent: '12', stackable: false }));
    },
    expect: { unitPrice: '8.8000', promotions: ['B-12'] },
  },
  {
    name: 'priority decides before discount size',
    given: (w) => {
      w.promotions.push(
        aPromotion({ code: 'A-5', discountPercent: '5', stackable: false, priority: 2 }),
      );
      w.promotions.push(
        aPromotion({ code: 'B-12', discountPercent: '12', stackable: false, priority: 1 }),
      );
    },
    expect: { unitPrice: '9.5000', promotions: ['A-5'] },
  },
  {
    name: 'a code promotion does not apply without its code',
    given: (w) => void w.promotions.push(aPromotion({ requiresCode: true })),
    expect: {
      unitPrice: '10.0000',
      promotions: [],
      trace: [{ ref: 'SPRING-10', outcome: 'NOT_APPLICABLE', reason: 'CODE_REQUIRED' }],
    },
  },
  {
    name: 'a code promotion applies when the quote carries its code, in any letter case',
    given: (w) => void w.promotions.push(aPromotion({ requiresCode: true })),
    quote: { promotionCodes: ['spring-10'] },
    expect: {
      unitPrice: '9.0000',
      promotionCodes: [{ code: 'SPRING-10', status: 'APPLIED' }],
    },
  },
  {
    name: 'an unknown promotion code is reported and changes nothing',
    quote: { promotionCodes: ['NOPE-99'] },
    expect: { unitPrice: '10.0000', promotionCodes: [{ code: 'NOPE-99', status: 'UNKNOWN' }] },
  },
  {
    name: 'a promotion for a parent account applies to its child accounts',
    given: (w) => void w.promotions.push(aPromotion({ customers: ['P100'] })),
    quote: { customerId: 'C101' },
    expect: { unitPrice: '8.8200', promotions: ['SPRING-10'] },
  },
  {
    name: 'a promotion for other customers does not apply',
    given: (w) => void w.promotions.push(aPromotion({ customers: ['C999'] })),
    expect: {
      unitPrice: '10.0000',
      trace: [{ ref: 'SPRING-10', outcome: 'NOT_APPLICABLE', reason: 'CUSTOMER_NOT_IN_SCOPE' }],
    },
  },
  {
    name: 'a channel-scoped promotion applies to a channel of that kind',
    given: (w) => void w.promotions.push(aPromotion({ channels: ['marketplace'] })),
    quote: { channel: { name: 'amazon-us', kind: 'marketplace' } },
    expect: { unitPrice: '9.0000' },
  },
  {
    name: 'a channel-scoped promotion does not apply to another channel',
    given: (w) => void w.promotions.push(aPromotion({ channels: ['marketplace'] })),
    quote: { channel: { name: 'webshop', kind: 'ecommerce' } },
    expect: {
      unitPrice: '10.0000',
      trace: [{ ref: 'SPRING-10', outcome: 'NOT_APPLICABLE', reason: 'CHANNEL_NOT_IN_SCOPE' }],
    },
  },
  {
    name: 'a promotion minimum quantity is compared in the base unit (1 CASE meets 12 EA)',
    given: (w) => void w.promotions.push(aPromotion({ minQuantity: '12' })),
    line: { uom: 'CASE' },
    expect: { unitPrice: '99.0000' },
  },
  {
    name: 'an inactive promotion does not apply (and is no candidate in the trace)',
    given: (w) => void w.promotions.push(aPromotion({ active: false })),
    expect: { unitPrice: '10.0000', promotions: [], check: noPromotionInTrace },
  },
  {
    name: 'a promotion that ended yesterday does not apply',
    given: (w) => void w.promotions.push(aPromotion({ validTo: '2026-05-12' })),
    expect: { unitPrice: '10.0000', promotions: [], check: noPromotionInTrace },
  },
  {
    name: 'a promotion applies on its first day',
    given: (w) => void w.promotions.push(aPromotion({ validFrom: TODAY })),
    expect: { unitPrice: '9.0000', promotions: ['SPRING-10'] },
  },
  {
    name: 'a promotion applies on its last day',
    given: (w) => void w.promotions.push(aPromotion({ validTo: TODAY })),
    expect: { unitPrice: '9.0000', promotions: ['SPRING-10'] },
  },
  {
    name: 'a promotion that starts tomorrow does not apply yet',
    given: (w) => void w.promotions.push(aPromotion({ validFrom: '2026-05-14' })),
    expect: { unitPrice: '10.0000', promotions: [], check: noPromotionInTrace },
  },
  {
    name: 'a promotion never takes the price below zero',
    given: (w) =>
      void w.promotions.push(
        aPromotion({
          discountType: 'AMOUNT_OFF',
          discountPercent: null,
          discountAmount: '20.00',
          currency: 'USD',
        }),
      ),
    expect: { unitPrice: '0.0000', extendedPrice: '0.00' },
  },

  // ---- currency ---------------------------------------------------------------------------------
  {
    name: 'a quote in a currency the customer is not invoiced in is refused',
    quote: { currency: 'EUR' },
    expect: { refusal: 'CURRENCY_MISMATCH' },
  },
  {
    name: 'a customer is priced from the base book of its own currency',
    quote: { customerId: 'C300' },
    expect: { unitPrice: '9.2000', sourceRef: 'BASE-EUR' },
  },
  {
    name: 'a contract in another currency does not apply',
    given: (w) => void w.contracts.push(aContract({ customerId: 'C200', currency: 'EUR' })),
    expect: {
      unitPrice: '10.0000',
      trace: [{ rule: 'CONTRACT', outcome: 'NOT_APPLICABLE', reason: 'CURRENCY_MISMATCH' }],
    },
  },
  {
    name: 'a customer price book in another currency does not apply',
    given: (w) => {
      w.priceLists = w.priceLists.filter((l) => l.code !== 'CPL-P100');
      w.priceLists.push(aCustomerList('P100', { currency: 'CAD' }));
    },
    quote: { customerId: 'C101' },
    expect: {
      unitPrice: '10.0000',
      trace: [{ ref: 'CPL-P100', outcome: 'NOT_APPLICABLE', reason: 'CURRENCY_MISMATCH' }],
    },
  },
  {
    name: 'an amount-off promotion in another currency does not apply',
    given: (w) =>
      void w.promotions.push(
        aPromotion({
          discountType: 'AMOUNT_OFF',
          discountPercent: null,
          discountAmount: '1.00',
          currency: 'EUR',
        }),
      ),
    expect: { unitPrice: '10.0000', trace: [{ ref: 'SPRING-10', reason: 'CURRENCY_MISMATCH' }] },
  },
  {
    name: 'an item with no price in the quote currency is a NO_PRICE line',
    quote: { customerId: 'C300' },
    line: { sku: 'WR-1000' },
    expect: { violations: ['NO_PRICE'] },
  },

  // ---- rounding --------------------------------------------------------------------------------
  {
    name: 'the unit price is rounded half-up to 4 decimals (5.00005 → 5.0001)',
    given: (w) => {
      w.entries.push(anEntry({ unitPrice: '10.0001' }));
      w.contracts.push(aPercentContract({ customerId: 'C200', discountPercent: '50' }));
    },
    expect: { unitPrice: '5.0001' },
  },
  {
    name: 'the extended price is rounded half-up to the cent (0.125 → 0.13)',
    given: (w) => void w.contracts.push(aContract({ customerId: 'C200', fixedPrice: '0.125' })),
    expect: { unitPrice: '0.1250', extendedPrice: '0.13' },
  },
  {
    name: 'the extended price is the rounded unit price times the quantity',
    given: (w) =>
      void w.contracts.push(aContract({ customerId: 'C200', uom: 'CASE', fixedPrice: '1.00' })),
    line: { quantity: '3' },
    expect: { unitPrice: '0.0833', extendedPrice: '0.25' },
  },

  // ---- line problems ---------------------------------------------------------------------------
  {
    name: 'an unknown SKU is a line violation while the other lines are priced',
    lines: [
      { sku: 'NOPE-1', quantity: '1', uom: 'EA' },
      { sku: 'HX-2040', quantity: '2', uom: 'EA' },
    ],
    expect: {
      violations: ['ITEM_NOT_FOUND'],
      check: (quote) => {
        expect(quote.lines[1]).toMatchObject({
          status: 'PRICED',
          unitPrice: '10.0000',
          extendedPrice: '20.00',
        });
        expect(quote.totals).toEqual({
          lineCount: 2,
          pricedLineCount: 1,
          rejectedLineCount: 1,
          subtotal: '20.00',
        });
        expect(quote.lines[0].violations[0].field).toBe('lines[0].sku');
      },
    },
  },
  {
    name: 'a blocked item is not sellable',
    line: { sku: 'BLK-1' },
    expect: { violations: ['ITEM_NOT_SELLABLE'] },
  },
  {
    name: 'a discontinued item is still priced',
    line: { sku: 'OLD-1' },
    expect: { unitPrice: '3.0000' },
  },
  {
    name: 'a unit the item is not sold in is not convertible',
    line: { uom: 'DRUM' },
    expect: { violations: ['UOM_NOT_CONVERTIBLE'] },
  },
  {
    name: 'UoM codes match regardless of letter case',
    line: { uom: 'case' },
    expect: { unitPrice: '110.0000', priceUom: 'CASE' },
  },
  {
    name: 'a zero quantity is an invalid line',
    line: { quantity: '0' },
    expect: { violations: ['INVALID_QUANTITY'] },
  },
  {
    name: 'an unknown customer is refused',
    quote: { customerId: 'C999' },
    expect: { refusal: 'UNKNOWN_CUSTOMER' },
  },
  {
    name: 'an unknown ship-to of the customer is refused',
    quote: { shipToId: 'NOPE' },
    expect: { refusal: 'UNKNOWN_SHIP_TO' },
  },
  {
    name: 'a known ship-to is accepted in any letter case',
    quote: { shipToId: 'main' },
    expect: { unitPrice: '10.0000' },
  },
];

describe('pricing rules (one case per rule)', () => {
  it('has at least 40 named cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const world = standardWorld();
    c.given?.(world);
    const index = buildIndex(world);
    const result = evaluateQuote(index, {
      customerId: 'C200',
      pricingDate: TODAY,
      ...c.quote,
      lines: c.lines ?? [{ sku: 'HX-2040', quantity: '1', uom: 'EA', ...c.line }],
    });
    if (c.expect.refusal) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.refusal.code).toBe(c.expect.refusal);
      return;
    }
    if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
    const quote = result.quote;
    const line = quote.lines[0];
    const e = c.expect;
    if (e.violations) {
      expect(line.violations.map((v) => v.code)).toEqual(e.violations);
      expect(line.status).toBe('REJECTED');
      expect(line.unitPrice).toBeNull();
    } else {
      expect(line.violations).toEqual([]);
      expect(line.status).toBe('PRICED');
    }
    const scalar = {
      unitPrice: e.unitPrice,
      extendedPrice: e.extendedPrice,
      priceUom: e.priceUom,
      listPrice: e.listPrice,
      source: e.source,
      sourceRef: e.sourceRef,
    };
    for (const [key, value] of Object.entries(scalar)) {
      if (value !== undefined)
        expect({ [key]: line[key as keyof typeof line] }).toEqual({ [key]: value });
    }
    if (e.quantityBreak === null) expect(line.quantityBreak).toBeNull();
    else if (e.quantityBreak) expect(line.quantityBreak).toMatchObject(e.quantityBreak);
    if (e.promotions) expect(line.promotions.map((p) => p.code)).toEqual(e.promotions);
    for (const entry of e.trace ?? []) {
      expect(line.trace).toContainEqual(expect.objectContaining(entry));
    }
    if (e.promotionCodes) expect(quote.promotionCodes).toEqual(e.promotionCodes);
    e.check?.(quote);
  });
});

describe('priceVersion', () => {
  const quote = (world: PriceWorld): PricedQuote => {
    const result = evaluateQuote(buildIndex(world), {
      customerId: 'C101',
      pricingDate: TODAY,
      lines: [{ sku: 'HX-2040', quantity: '1', uom: 'EA' }],
    });
    if (!result.ok) throw new Error(result.refusal.message);
    return result.quote;
  };

  it('stays the same when price data the quote did not consider changes', () => {
    const before = standardWorld();
    const after = standardWorld();
    after.entries.push(anEntry({ sku: 'WR-1000', unitPrice: '26.00' }));
    after.contracts.push(aContract({ customerId: 'C200' }));
    expect(quote(after).priceVersion).toBe(quote(before).priceVersion);
  });

  it('changes when a price the quote considered changes, even one that lost', () => {
    const before = standardWorld();
    const after = standardWorld();
    after.entries.push(anEntry({ unitPrice: '10.01' }));
    expect(quote(after).lines[0].unitPrice).toBe(quote(before).lines[0].unitPrice);
    expect(quote(after).priceVersion).not.toBe(quote(before).priceVersion);
  });

  it('changes when a new contract for the customer appears, and when it goes away', () => {
    const plain = standardWorld();
    const withContract = standardWorld();
    withContract.contracts.push(aContract({ validTo: '2026-01-31' }));
    expect(quote(withContract).priceVersion).not.toBe(quote(plain).priceVersion);
    expect(quote(standardWorld()).priceVersion).toBe(quote(plain).priceVersion);
  });
});

describe('the worked example of the README (## Pricing)', () => {
  it('prices 2 CASE of HX-2040 for C10042 at 88.5614 per CASE, 177.12 extended', () => {
    const index = buildIndex({
      items: [
        anItem({
          uomConversions: [
            { uom: 'EA', factor: '1' },
            { uom: 'CASE', factor: '12' },
          ],
        }),
      ],
      customers: [
        { id: 'C10001', parentId: null, currency: 'USD', status: 'ACTIVE', shipToCodes: [] },
        { id: 'C10042', parentId: 'C10001', currency: 'USD', status: 'ACTIVE', shipToCodes: [] },
      ],
      priceLists: [aBaseList()],
      entries: [
        anEntry({ unitPrice: '10.00' }),
        anEntry({ minQuantity: '12', unitPrice: '9.50' }),
        anEntry({ minQuantity: '24', unitPrice: '9.00' }),
      ],
      contracts: [
        aPercentContract({
          contractNo: 'CT-000123',
          customerId: 'C10001',
          sku: null,
          itemGroup: 'FASTENERS',
          discountPercent: '7.5',
        }),
      ],
      promotions: [
        aPromotion({ requiresCode: true, priority: 1 }),
        aPromotion({ code: 'WEB-15', discountPercent: '1.5', channels: ['ecommerce'] }),
      ],
    });
    const result = evaluateQuote(index, {
      customerId: 'C10042',
      pricingDate: '2026-05-13',
      promotionCodes: ['SPRING-10'],
      channel: { name: 'webshop', kind: 'ecommerce' },
      lines: [{ sku: 'HX-2040', quantity: '2', uom: 'CASE' }],
    });
    if (!result.ok) throw new Error(result.refusal.message);
    const line = result.quote.lines[0];
    expect(line).toMatchObject({
      unitPrice: '88.5614',
      extendedPrice: '177.12',
      priceUom: 'CASE',
      listPrice: '108.0000',
      source: 'CONTRACT',
      sourceRef: 'CT-000123',
      quantityBreak: { priceList: 'BASE-USD', minQuantity: '24', uom: 'EA', minBaseQuantity: '24' },
    });
    expect(line.promotions.map((p) => [p.code, p.amountOff])).toEqual([
      ['SPRING-10', '9.9900'],
      ['WEB-15', '1.3487'],
    ]);
    expect(
      line.trace.map((t) => [t.rule, t.ref, t.outcome, t.reason, t.unitPrice ?? null]),
    ).toEqual([
      ['CONTRACT', 'CT-000123', 'WON', 'HIGHEST_PRECEDENCE', '99.9000'],
      ['BASE_PRICE_BOOK', 'BASE-USD', 'BASIS', 'LIST_PRICE_FOR_CONTRACT', '108.0000'],
      ['QUANTITY_BREAK', 'BASE-USD', 'LOST', 'HIGHER_PRICE', '114.0000'],
      ['QUANTITY_BREAK', 'BASE-USD', 'APPLIED', 'BREAK_REACHED', '108.0000'],
      ['PROMOTION', 'SPRING-10', 'APPLIED', 'PROMOTION_APPLIED', '89.9100'],
      ['PROMOTION', 'WEB-15', 'APPLIED', 'PROMOTION_APPLIED', '88.5614'],
    ]);
  });
});
