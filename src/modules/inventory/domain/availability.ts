import { Decimal } from 'decimal.js';
import { maxZero } from './quantity.js';

/** The figures of one position (item × warehouse), base UoM, decimal strings. */
export interface PositionFigures {
  onHand: string;
  /** Allocated by the ERP to its open orders, as the ERP last reported it. */
  allocated: string;
  /** Handed over to the ERP (reservation confirmed), not yet in the ERP's reported allocation. */
  allocationPending: string;
  /** Held by the hub's active reservations. */
  reserved: string;
  safetyStock: string;
}

/**
 * Available to promise = on hand − allocated − reserved − safety stock (allocated including what
 * was handed over and the ERP has not reported yet), never below zero.
 */
export function availableToPromise(p: PositionFigures): Decimal {
  return maxZero(
    new Decimal(p.onHand)
      .minus(p.allocated)
      .minus(p.allocationPending)
      .minus(p.reserved)
      .minus(p.safetyStock),
  );
}
