import {
  type ItemFacts,
  lineField,
  NOTHING_FOUND,
  type OrderRule,
  type RequestedLine,
  violated,
} from './order-rule.js';

export interface ItemSellableFacts {
  line: RequestedLine;
  index: number;
  /** null: no item with the line's SKU is known. */
  item: ItemFacts | null;
}

const SELLABLE = new Set(['ACTIVE']);

/** The line's item is known and the ERP lets it be sold; substitutes are named when not. */
export const itemSellable: OrderRule<ItemSellableFacts> = {
  name: 'item-sellable',
  check({ line, index, item }) {
    const field = `${lineField(index)}.sku`;
    if (!item) {
      return violated({
        code: 'ITEM_NOT_FOUND',
        field,
        message: `No item with SKU ${line.sku} is known to the hub.`,
      });
    }
    if (!SELLABLE.has(item.status)) {
      return violated({
        code: 'ITEM_NOT_SELLABLE',
        field,
        message:
          `Item ${item.sku} is ${item.status.toLowerCase()} and cannot be sold` +
          (item.substitutes.length > 0 ? `; substitutes: ${item.substitutes.join(', ')}.` : '.'),
        substitutes: [...item.substitutes],
      });
    }
    return NOTHING_FOUND;
  },
};
