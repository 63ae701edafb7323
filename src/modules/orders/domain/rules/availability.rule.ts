import type { Decimal } from 'decimal.js';
import type { OrderPolicy } from '../order-policy.js';
import {
  NOTHING_FOUND,
  type OrderRule,
  type RequestedLine,
  type RuleFindings,
} from './order-rule.js';

export interface AvailabilityFacts {
  line: RequestedLine;
  index: number;
  sku: string;
  baseUom: string;
  /** The line's quantity in the base unit. */
  baseQuantity: Decimal;
  /** Where allocation placed a stocked line; undefined for a drop-ship line. */
  allocation: { warehouse: string; reserved: Decimal; short: Decimal } | undefined;
  policy: OrderPolicy;
}

/**
 * A stocked line can be promised in full from its warehouse; a short quantity the policy adjusts
 * is backordered and reported.
 */
export const availabilityCheck: OrderRule<AvailabilityFacts> = {
  name: 'availability',
  check({ line, index, sku, baseUom, baseQuantity, allocation, policy }): RuleFindings {
    if (!allocation || !allocation.short.greaterThan(0)) return NOTHING_FOUND;
    const field = `lines[${index}].quantity`;
    return {
      violations: [
        {
          code: 'INSUFFICIENT_AVAILABILITY',
          field,
          message: `Only ${allocation.reserved.toString()} of ${baseQuantity.toString()} ${baseUom} of ${sku} can be promised from ${allocation.warehouse}; ${allocation.short.toString()} would be backordered.`,
        },
      ],
      adjustments:
        policy.actions.INSUFFICIENT_AVAILABILITY === 'adjust'
          ? [
              {
                code: 'INSUFFICIENT_AVAILABILITY',
                field,
                lineRef: line.lineRef,
                message: `${allocation.short.toString()} ${baseUom} backordered at ${allocation.warehouse}.`,
                from: baseQuantity.toString(),
                to: allocation.reserved.toString(),
              },
            ]
          : [],
    };
  },
};
