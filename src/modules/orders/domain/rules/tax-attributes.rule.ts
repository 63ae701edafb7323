import type { ShipToChoice } from '../ship-to.js';
import { NOTHING_FOUND, type CustomerFacts, type OrderRule, violated } from './order-rule.js';

export interface TaxAttributesFacts {
  customer: CustomerFacts | null;
  choice: ShipToChoice;
  /** Did the channel name a ship-to code (the violation then points at it)? */
  shipToNamed: boolean;
}

/**
 * The order can be taxed: a tax area on the customer or on the ship-to (sales tax follows the
 * destination), or else a tax exemption number. A customer the ERP holds not tax liable is not
 * taxed, so it needs none of them.
 */
export const taxAttributesPresent: OrderRule<TaxAttributesFacts> = {
  name: 'tax-attributes-present',
  check({ customer, choice, shipToNamed }) {
    if (
      customer?.taxLiable &&
      customer.taxAreaCode === null &&
      choice.taxAreaCode === null &&
      customer.taxExemptionNumber === null
    ) {
      return violated({
        code: 'TAX_ATTRIBUTES_MISSING',
        field: shipToNamed ? 'shipToId' : 'customerId',
        message: `Customer ${customer.erpId} has neither a tax area nor a tax exemption number in the ERP, so the order cannot be taxed.`,
      });
    }
    return NOTHING_FOUND;
  },
};
