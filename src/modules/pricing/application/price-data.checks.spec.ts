import {
  checkContract,
  checkPriceList,
  checkPriceListEntry,
  checkPromotion,
} from './price-data.checks.js';

const problemsOf = (check: { ok: boolean; problems?: { field: string; code: string }[] }) =>
  check.ok ? [] : (check.problems ?? []).map((p) => `${p.field}:${p.code}`);

describe('price record checks', () => {
  it('normalises a price-list entry: UoM upper-case, quantities and prices canonical', () => {
    expect(
      checkPriceListEntry({
        priceListCode: 'BASE-USD',
        sku: ' HX-2040 ',
        uom: 'case',
        minQuantity: '12.000000',
        unitPrice: '110.5000',
      }),
    ).toEqual({
      ok: true,
      value: {
        priceListCode: 'BASE-USD',
        sku: 'HX-2040',
        uom: 'CASE',
        minQuantity: '12',
        unitPrice: '110.5',
      },
    });
  });

  it('refuses a customer price list without its customer and a list that ends before it starts', () => {
    const check = checkPriceList({
      code: 'CPL-1',
      description: 'x',
      type: 'CUSTOMER',
      currency: 'usd',
      customerId: null,
      validFrom: '2026-05-13',
      validTo: '2026-05-12',
      active: true,
    });
    expect(problemsOf(check)).toEqual(['customerId:REQUIRED', 'validTo:BEFORE_VALID_FROM']);
  });

  it('refuses a contract for both an item and a group, and a FIXED one without price or unit', () => {
    const check = checkContract({
      contractNo: 'CT-1',
      customerId: 'C1',
      sku: 'HX',
      itemGroup: 'FASTENERS',
      priceType: 'FIXED',
      currency: 'USD',
      validFrom: '2026-01-01',
    });
    expect(problemsOf(check)).toEqual([
      'sku:ONE_OF_SKU_OR_ITEM_GROUP',
      'fixedPrice:REQUIRED',
      'uom:REQUIRED',
    ]);
  });

  it('refuses a percentage above 100 and an amount-off promotion without its currency', () => {
    const check = checkPromotion({
      code: 'P1',
      description: 'x',
      discountType: 'AMOUNT_OFF',
      discountAmount: '1.00',
      discountPercent: '150',
      validFrom: '2026-05-01',
      validTo: '2026-05-31',
      active: true,
      requiresCode: false,
      stackable: true,
      priority: 0,
      items: ['HX'],
    });
    expect(problemsOf(check)).toEqual(['discountPercent:OUT_OF_RANGE', 'currency:REQUIRED']);
  });

  it('keeps only the fields of the price type (a FIXED contract has no percentage)', () => {
    const check = checkContract({
      contractNo: 'CT-2',
      customerId: 'C1',
      sku: 'HX',
      priceType: 'FIXED',
      fixedPrice: '8.50',
      uom: 'ea',
      discountPercent: '10',
      currency: 'USD',
      validFrom: '2026-01-01',
      validTo: null,
    });
    expect(check).toMatchObject({
      ok: true,
      value: { fixedPrice: '8.5', uom: 'EA', discountPercent: null },
    });
  });
});
