import { isPositiveDecimal, readFactor } from './decimal-string.js';
import {
  RecordReader,
  type RecordCheck,
  type RecordProblem,
} from '../../../platform/kernel/index.js';

export const ITEM_STATUSES = ['ACTIVE', 'DISCONTINUED', 'BLOCKED'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const FULFILLMENT_TYPES = ['STOCK', 'DROP_SHIP'] as const;
/** STOCK ships from our warehouses; DROP_SHIP is shipped by the supplier straight to the customer. */
export type FulfillmentType = (typeof FULFILLMENT_TYPES)[number];

/** How many base units one `uom` holds, exactly (`CASE` = `"12"` when the base UoM is `EA`). */
export interface UomConversion {
  uom: string;
  factor: string;
}

export interface Item {
  sku: string;
  description: string;
  baseUom: string;
  /** Always lists the base UoM with factor `"1"`, first; then the others in the ERP's order. */
  uomConversions: UomConversion[];
  itemGroup: string | null;
  status: ItemStatus;
  fulfillmentType: FulfillmentType;
  /** The vendor who ships a drop-ship item; required for DROP_SHIP. */
  supplierId: string | null;
  lotControlled: boolean;
  /** SKUs a channel may offer instead; they need not be known to the hub. */
  substitutes: string[];
  /** GTIN (EAN/UPC, 8, 12, 13 or 14 digits, check digit valid) of the base unit, if the ERP keeps one. */
  gtin: string | null;
  /**
   * The ERP's tax group (BC `taxGroupCode`, e.g. `MATERIALS`, `NONTAXABLE`): with the
   * destination's tax area it decides the tax rate the ERP charges.
   */
  taxGroupCode: string | null;
}

/**
 * Checks and normalises an item as an ERP adapter delivered it, returning every problem.
 * UoM codes are compared without regard to case: `case` and `CASE` are one unit to an order line.
 */
export function checkItem(input: unknown): RecordCheck<Item> {
  const problems: RecordProblem[] = [];
  const fields = RecordReader.of(input, problems);
  const sku = fields.key('sku');
  const description = fields.text('description');
  const baseUom = fields.key('baseUom');
  const conversions = fields.list('uomConversions', (element, path) => {
    const conversion = RecordReader.of(element, problems, path);
    const uom = conversion.key('uom');
    const factor = readFactor(conversion, 'factor');
    if (factor !== null && !isPositiveDecimal(factor)) {
      conversion.problem('factor', 'NOT_POSITIVE', 'factor must be greater than 0');
    }
    return { uom, factor: factor ?? '' };
  });
  const seen = new Set<string>();
  conversions.forEach((conversion, index) => {
    const key = conversion.uom.toUpperCase();
    if (key === '') return;
    if (seen.has(key)) {
      problems.push({
        code: 'DUPLICATE_UOM',
        field: `uomConversions[${index}].uom`,
        message: `unit of measure ${conversion.uom} appears more than once`,
      });
    }
    seen.add(key);
    if (baseUom !== '' && key === baseUom.toUpperCase()) {
      if (conversion.factor !== '' && conversion.factor !== '1') {
        problems.push({
          code: 'BASE_UOM_FACTOR',
          field: `uomConversions[${index}].factor`,
          message: `the base unit of measure ${baseUom} must have factor 1`,
        });
      }
    }
  });
  const itemGroup = fields.optionalText('itemGroup');
  const status = fields.oneOf('status', ITEM_STATUSES);
  const fulfillmentType = fields.oneOf('fulfillmentType', FULFILLMENT_TYPES);
  const supplierId = fields.optionalKey('supplierId');
  if (fulfillmentType === 'DROP_SHIP' && supplierId === null) {
    fields.problem('supplierId', 'SUPPLIER_REQUIRED', 'a drop-ship item needs a supplierId');
  }
  const lotControlled = fields.boolean('lotControlled');
  const substitutes: string[] = [];
  fields.list('substitutes', (element, path) => {
    if (typeof element !== 'string' || element.trim() === '') {
      problems.push({ code: 'NOT_A_SKU', field: path, message: 'must be a non-empty SKU' });
      return;
    }
    const substitute = element.trim();
    if (substitute === sku) {
      problems.push({
        code: 'SUBSTITUTE_IS_SELF',
        field: path,
        message: 'an item cannot substitute itself',
      });
    } else if (!substitutes.includes(substitute)) {
      // A repeated substitute says nothing new: keep one, do not reject the item for it.
      substitutes.push(substitute);
    }
  });
  const gtin = fields.optionalText('gtin');
  if (gtin !== null && !isValidGtin(gtin)) {
    fields.problem(
      'gtin',
      'INVALID_GTIN',
      'gtin must be 8, 12, 13 or 14 digits with a valid check digit',
    );
  }
  const taxGroupCode = fields.optionalText('taxGroupCode');
  if (problems.length > 0) return { ok: false, problems };
  const base = conversions.find((c) => c.uom.toUpperCase() === baseUom.toUpperCase());
  const uomConversions = [{ uom: baseUom, factor: '1' }, ...conversions.filter((c) => c !== base)];
  return {
    ok: true,
    value: {
      sku,
      description,
      baseUom,
      uomConversions,
      itemGroup,
      status,
      fulfillmentType,
      supplierId,
      lotControlled,
      substitutes,
      gtin,
      taxGroupCode,
    },
  };
}

/**
 * A GTIN-8, -12 (UPC-A), -13 (EAN) or -14: digits only, the last one the GS1 check digit (weights
 * 3 and 1 alternating from the right, the check digit excluded). A channel that lists the item on
 * a marketplace needs it to be right; a typo is refused here, where the ERP can be fixed.
 */
export function isValidGtin(gtin: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return false;
  const digits = [...gtin].map(Number);
  const check = digits.pop() as number;
  const sum = digits
    .reverse()
    .reduce((total, digit, index) => total + digit * (index % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}
