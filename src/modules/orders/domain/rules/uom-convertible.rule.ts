import {
  type ItemFacts,
  lineField,
  NOTHING_FOUND,
  type OrderRule,
  type RequestedLine,
  violated,
} from './order-rule.js';

export interface UomConvertibleFacts {
  line: RequestedLine;
  index: number;
  item: ItemFacts;
}

/** The item's conversion for a unit (case-insensitive), if it has one. */
export const conversionOf = (
  item: ItemFacts,
  uom: string,
): { uom: string; factor: string } | null =>
  item.uomConversions.find((u) => u.uom.toUpperCase() === uom.toUpperCase()) ?? null;

/**
 * The line's unit converts to the item's base unit, and a counted unit (each, case…) is ordered
 * in whole numbers. Which units are counted is master data's knowledge: it is handed in.
 */
export const uomConvertible = (
  isFractionOfCountedUnit: (quantity: string, uom: string) => boolean,
): OrderRule<UomConvertibleFacts> => ({
  name: 'uom-convertible',
  check({ line, index, item }) {
    const conversion = conversionOf(item, line.uom);
    if (!conversion) {
      return violated({
        code: 'UOM_NOT_CONVERTIBLE',
        field: `${lineField(index)}.uom`,
        message: `Item ${item.sku} has no unit ${line.uom} (units: ${item.uomConversions
          .map((u) => u.uom)
          .join(', ')}).`,
      });
    }
    if (isFractionOfCountedUnit(line.quantity, conversion.uom)) {
      return violated({
        code: 'QUANTITY_NOT_DIVISIBLE',
        field: `${lineField(index)}.quantity`,
        message: `${conversion.uom} is counted in whole units: ${line.quantity} ${line.uom} is not a whole number.`,
      });
    }
    return NOTHING_FOUND;
  },
});
