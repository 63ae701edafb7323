import { formatQuantity, parseQuantity } from './quantity.js';

/** One ERP balance: stock of an item in a warehouse (and lot), in the item's base UoM. */
export interface InventoryBalance {
  sku: string;
  warehouse: string;
  /** null (or '') when the item is not lot-controlled. */
  lot: string | null;
  /** `YYYY-MM-DD`, lots only; null when unknown. */
  expiryDate: string | null;
  /** Decimal string, base UoM (`"120"`, `"3.5"`); may be negative where the ERP allows it. */
  onHand: string;
  /** Allocated by the ERP to its open orders; decimal string, never negative. */
  allocated: string;
}

export interface BalanceProblem {
  code: string;
  field: string;
  message: string;
}

export type BalanceCheck =
  | { ok: true; value: InventoryBalance & { lot: string } }
  | { ok: false; problems: BalanceProblem[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks and normalises a balance as an adapter delivered it (lot `''` when none). */
export function checkInventoryBalance(input: unknown): BalanceCheck {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: BalanceProblem[] = [];
  const text = (field: string, required: boolean): string => {
    const value = raw[field];
    if (value === null || value === undefined || value === '') {
      if (required) problems.push({ code: 'REQUIRED', field, message: `${field} is required` });
      return '';
    }
    if (typeof value !== 'string' || !value.trim()) {
      problems.push({ code: 'INVALID_CODE', field, message: `${field} must be a string` });
      return '';
    }
    return value.trim();
  };
  const sku = text('sku', true);
  const warehouse = text('warehouse', true);
  const lot = text('lot', false);
  let expiryDate: string | null = null;
  if (raw.expiryDate !== null && raw.expiryDate !== undefined && raw.expiryDate !== '') {
    if (typeof raw.expiryDate !== 'string' || !DATE.test(raw.expiryDate)) {
      problems.push({ code: 'INVALID_DATE', field: 'expiryDate', message: 'must be YYYY-MM-DD' });
    } else {
      expiryDate = raw.expiryDate;
    }
  }
  const onHand = parseQuantity(raw.onHand);
  if (!onHand) {
    problems.push({
      code: 'INVALID_QUANTITY',
      field: 'onHand',
      message: 'must be a decimal string',
    });
  }
  const allocated = parseQuantity(raw.allocated);
  if (!allocated || allocated.isNegative()) {
    problems.push({
      code: 'INVALID_QUANTITY',
      field: 'allocated',
      message: 'must be a non-negative decimal string',
    });
  }
  if (problems.length > 0 || !onHand || !allocated) return { ok: false, problems };
  return {
    ok: true,
    value: {
      sku,
      warehouse,
      lot,
      expiryDate,
      onHand: formatQuantity(onHand),
      allocated: formatQuantity(allocated),
    },
  };
}
