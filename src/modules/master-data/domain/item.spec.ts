import { checkItem, type Item } from './item.js';
import type { RecordProblem } from '../../../platform/kernel/index.js';

const anItem = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sku: 'HX-2040-BLK',
  description: 'Hex bolt M8x40',
  baseUom: 'EA',
  uomConversions: [
    { uom: 'CASE', factor: '12.000' },
    { uom: 'EA', factor: '1' },
  ],
  itemGroup: 'FASTENERS',
  status: 'ACTIVE',
  fulfillmentType: 'STOCK',
  supplierId: null,
  lotControlled: false,
  substitutes: [],
  gtin: '0614141000036',
  taxGroupCode: 'MATERIALS',
  ...overrides,
});

const problemsOf = (input: unknown): [string, string][] => {
  const result = checkItem(input);
  return result.ok ? [] : result.problems.map((p: RecordProblem) => [p.field, p.code]);
};
const valueOf = (input: unknown): Item => {
  const result = checkItem(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
};

describe(checkItem.name, () => {
  it('lists the base UoM first with factor 1 and keeps factors exact, without trailing zeros', () => {
    expect(valueOf(anItem()).uomConversions).toEqual([
      { uom: 'EA', factor: '1' },
      { uom: 'CASE', factor: '12' },
    ]);
  });

  it('adds the base UoM when the ERP does not list it', () => {
    const item = valueOf(anItem({ uomConversions: [{ uom: 'LB', factor: '0.45359237' }] }));
    expect(item.uomConversions).toEqual([
      { uom: 'EA', factor: '1' },
      { uom: 'LB', factor: '0.45359237' },
    ]);
  });

  it('refuses duplicate units (whatever their case), factors not above zero and a base factor other than 1', () => {
    expect(
      problemsOf(
        anItem({
          uomConversions: [
            { uom: 'EA', factor: '2' },
            { uom: 'CASE', factor: '0' },
            { uom: 'case', factor: '12' },
            { uom: 'BOX', factor: '-1' },
            { uom: 'PACK', factor: 'twelve' },
          ],
        }),
      ),
    ).toEqual([
      ['uomConversions[1].factor', 'NOT_POSITIVE'],
      ['uomConversions[3].factor', 'NOT_POSITIVE'],
      ['uomConversions[4].factor', 'NOT_A_DECIMAL'],
      ['uomConversions[0].factor', 'BASE_UOM_FACTOR'],
      ['uomConversions[2].uom', 'DUPLICATE_UOM'],
    ]);
  });

  it('requires a supplier for a drop-ship item', () => {
    expect(problemsOf(anItem({ fulfillmentType: 'DROP_SHIP' }))).toEqual([
      ['supplierId', 'SUPPLIER_REQUIRED'],
    ]);
    expect(problemsOf(anItem({ fulfillmentType: 'DROP_SHIP', supplierId: 'V-2001' }))).toEqual([]);
  });

  it('refuses an item substituting itself and keeps one of each repeated substitute', () => {
    expect(problemsOf(anItem({ substitutes: ['HX-2040-BLK'] }))).toEqual([
      ['substitutes[0]', 'SUBSTITUTE_IS_SELF'],
    ]);
    expect(valueOf(anItem({ substitutes: ['A', ' A ', 'B'] })).substitutes).toEqual(['A', 'B']);
  });

  it('checks enums and booleans at run time', () => {
    expect(
      problemsOf(anItem({ status: 'active', fulfillmentType: undefined, lotControlled: 'no' })),
    ).toEqual([
      ['status', 'NOT_ALLOWED'],
      ['fulfillmentType', 'REQUIRED'],
      ['lotControlled', 'NOT_A_BOOLEAN'],
    ]);
  });

  it('keeps a GTIN with a valid check digit and the tax group; blanks are absent', () => {
    expect(valueOf(anItem())).toMatchObject({ gtin: '0614141000036', taxGroupCode: 'MATERIALS' });
    // GTIN-8, UPC-A (12) and GTIN-14 too.
    for (const gtin of ['96385074', '036000291452', '10614141000033']) {
      expect(valueOf(anItem({ gtin })).gtin).toBe(gtin);
    }
    expect(valueOf(anItem({ gtin: ' ', taxGroupCode: '' }))).toMatchObject({
      gtin: null,
      taxGroupCode: null,
    });
  });

  it('refuses a GTIN with a wrong check digit, letters or a length GS1 does not define', () => {
    for (const gtin of ['0614141000037', '06141410000A6', '061414100003', '1234567']) {
      expect(problemsOf(anItem({ gtin }))).toEqual([['gtin', 'INVALID_GTIN']]);
    }
  });

  it('requires a SKU, a description and a base unit', () => {
    expect(problemsOf(anItem({ sku: ' ', description: null, baseUom: undefined }))).toEqual([
      ['sku', 'REQUIRED'],
      ['description', 'REQUIRED'],
      ['baseUom', 'REQUIRED'],
    ]);
  });
});
