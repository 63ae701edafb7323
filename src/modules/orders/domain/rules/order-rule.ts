import type { OrderAdjustment } from '../order.js';
import type { OrderViolation } from '../order-violation.js';

/*
 * A business rule of order capture: a small named object with one `check` over plain facts (no
 * database, no framework). The capture use case gathers the facts (master data, prices, stock)
 * and runs the rules in a fixed order, so violations are reported in a stable order.
 */
export interface RuleFindings {
  violations: OrderViolation[];
  /** What the hub changed on the order because the policy says `adjust`. */
  adjustments: OrderAdjustment[];
}

export interface OrderRule<Facts> {
  /** Stable name, for logs and specs. */
  readonly name: string;
  check(facts: Facts): RuleFindings;
}

export const NOTHING_FOUND: RuleFindings = Object.freeze({
  violations: [],
  adjustments: [],
}) as RuleFindings;

export const violated = (...violations: OrderViolation[]): RuleFindings => ({
  violations,
  adjustments: [],
});

/** The facts about the customer the rules read (a master-data customer satisfies it). */
export interface CustomerFacts {
  erpId: string;
  status: string;
  currency: string;
  taxAreaCode: string | null;
  taxExemptionNumber: string | null;
  /** The ERP holds the customer liable for sales tax (BC `taxLiable`); false = never taxed. */
  taxLiable: boolean;
  shipTos: readonly {
    code: string;
    taxAreaCode: string | null;
    defaultWarehouseCode: string | null;
  }[];
}

/** The facts about an item the rules read (a master-data item satisfies it). */
export interface ItemFacts {
  sku: string;
  status: string;
  baseUom: string;
  substitutes: readonly string[];
  uomConversions: readonly { uom: string; factor: string }[];
}

/** One requested line, as the channel sent it. */
export interface RequestedLine {
  lineRef: string;
  sku: string;
  quantity: string;
  uom: string;
  expectedUnitPrice?: string | null;
}

/** `lines[2]`: where a line's violations point in the request. */
export const lineField = (index: number): string => `lines[${index}]`;
