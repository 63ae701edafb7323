import { NOTHING_FOUND, type CustomerFacts, type OrderRule, violated } from './order-rule.js';

export interface CurrencyFacts {
  customer: CustomerFacts | null;
  /** Upper-cased: the request's, else the customer's. */
  currency: string;
}

/** The customer is invoiced in the order's currency. */
export const currencyAccepted: OrderRule<CurrencyFacts> = {
  name: 'currency-accepted',
  check({ customer, currency }) {
    if (customer && currency !== customer.currency) {
      return violated({
        code: 'CURRENCY_NOT_ACCEPTED',
        field: 'currency',
        message: `Customer ${customer.erpId} is invoiced in ${customer.currency}, not ${currency}.`,
      });
    }
    return NOTHING_FOUND;
  },
};
