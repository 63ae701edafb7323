import { type OrderPolicy, withinTolerance } from '../order-policy.js';
import {
  lineField,
  NOTHING_FOUND,
  type OrderRule,
  type RequestedLine,
  type RuleFindings,
  violated,
} from './order-rule.js';

/** What the pricing engine answered for one line (a priced quote line satisfies it). */
export interface PricedLineFacts {
  status: string;
  unitPrice: string | null;
  source: string | null;
  violations: readonly { message: string }[];
}

export interface PriceCheckFacts {
  line: RequestedLine;
  index: number;
  /** undefined: the engine priced nothing (e.g. it does not know the customer yet). */
  priced: PricedLineFacts | undefined;
  customerErpId: string;
  policy: OrderPolicy;
}

/**
 * The line has a price from the ERP's price data, and the price the channel expected is within
 * the policy's tolerance of it; a mismatch the policy adjusts is repriced and reported.
 */
export const priceCheck: OrderRule<PriceCheckFacts> = {
  name: 'price-check',
  check({ line, index, priced, customerErpId, policy }): RuleFindings {
    const field = lineField(index);
    if (!priced || priced.status !== 'PRICED' || priced.unitPrice === null) {
      return violated({
        code: 'NO_PRICE',
        field: `${field}.sku`,
        message:
          priced?.violations[0]?.message ??
          `The ERP's price data has no price for ${line.sku} per ${line.uom} for customer ${customerErpId}.`,
      });
    }
    const expected = line.expectedUnitPrice ?? null;
    if (expected === null || withinTolerance(policy, expected, priced.unitPrice)) {
      return NOTHING_FOUND;
    }
    return {
      violations: [
        {
          code: 'PRICE_MISMATCH',
          field: `${field}.expectedUnitPrice`,
          message: `Expected unit price ${expected} differs from the ERP's price ${priced.unitPrice} per ${line.uom} (source ${priced.source ?? 'unknown'}).`,
        },
      ],
      adjustments:
        policy.actions.PRICE_MISMATCH === 'adjust'
          ? [
              {
                code: 'PRICE_MISMATCH',
                field: `${field}.expectedUnitPrice`,
                lineRef: line.lineRef,
                message: `Repriced to the ERP's price ${priced.unitPrice} per ${line.uom}.`,
                from: expected,
                to: priced.unitPrice,
              },
            ]
          : [],
    };
  },
};
