import { itemSellable } from './item-sellable.rule.js';
import type { ItemFacts } from './order-rule.js';

const line = { lineRef: '1', sku: 'A', quantity: '1', uom: 'EA' };
const item = (status: string, substitutes: string[] = []): ItemFacts => ({
  sku: 'A',
  status,
  baseUom: 'EA',
  substitutes,
  uomConversions: [{ uom: 'EA', factor: '1' }],
});

describe(itemSellable.name, () => {
  it('passes an active item', () => {
    expect(itemSellable.check({ line, index: 0, item: item('ACTIVE') }).violations).toEqual([]);
  });

  it('reports an unknown SKU on its line', () => {
    expect(itemSellable.check({ line, index: 2, item: null }).violations).toEqual([
      expect.objectContaining({ code: 'ITEM_NOT_FOUND', field: 'lines[2].sku' }),
    ]);
  });

  it('reports an unsellable item with the substitutes the ERP names', () => {
    expect(
      itemSellable.check({ line, index: 0, item: item('DISCONTINUED', ['B']) }).violations,
    ).toEqual([
      expect.objectContaining({
        code: 'ITEM_NOT_SELLABLE',
        substitutes: ['B'],
        message: expect.stringContaining('substitutes: B'),
      }),
    ]);
  });
});
