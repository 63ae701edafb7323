import type { ShipToChoice } from '../ship-to.js';
import { NOTHING_FOUND, type CustomerFacts, type OrderRule, violated } from './order-rule.js';

export interface ShipToFacts {
  customer: CustomerFacts | null;
  /** The ship-to as resolved against the customer (resolveShipTo). */
  choice: ShipToChoice;
}

/** A ship-to code the channel names must be one of the customer's. */
export const shipToKnown: OrderRule<ShipToFacts> = {
  name: 'ship-to-known',
  check({ customer, choice }) {
    if (customer && choice.unknownCode !== null) {
      return violated({
        code: 'SHIP_TO_INVALID',
        field: 'shipToId',
        message: `Customer ${customer.erpId} has no ship-to address ${choice.unknownCode}.`,
      });
    }
    return NOTHING_FOUND;
  },
};
