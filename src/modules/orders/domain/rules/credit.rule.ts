import { checkCredit } from '../credit.js';
import { NOTHING_FOUND, type OrderRule, violated } from './order-rule.js';

export interface CreditFacts {
  /** The account whose limit applies (the customer's, or its parent's by policy). */
  account: string;
  /** null: the ERP sets no limit. */
  creditLimit: string | null;
  balanceDue: string;
  /** Orders of the account the hub holds that the ERP does not have yet. */
  openHubOrders: string;
  orderTotal: string;
}

/** Balance due + open hub orders + this order stay within the account's credit limit. */
export const creditWithinLimit: OrderRule<CreditFacts> = {
  name: 'credit-within-limit',
  check(facts) {
    const credit = checkCredit({
      creditLimit: facts.creditLimit,
      balanceDue: facts.balanceDue,
      openHubOrders: facts.openHubOrders,
      thisOrder: facts.orderTotal,
    });
    if (!credit.exceeded) return NOTHING_FOUND;
    return violated({
      code: 'CREDIT_LIMIT_EXCEEDED',
      field: 'customerId',
      message:
        `Credit limit ${facts.creditLimit ?? ''} of account ${facts.account} ` +
        `exceeded: balance due ${facts.balanceDue} + open hub orders ${facts.openHubOrders} + this ` +
        `order ${facts.orderTotal} = ${credit.exposure}.`,
    });
  },
};
