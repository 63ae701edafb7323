import { Decimal } from 'decimal.js';

export interface CreditCheckInput {
  /** null: the ERP sets no limit for the account. */
  creditLimit: string | null;
  balanceDue: string;
  /** Orders of the account the hub holds that the ERP does not have yet. */
  openHubOrders: string;
  thisOrder: string;
}

export interface CreditCheckResult {
  exceeded: boolean;
  exposure: string;
  available: string | null;
}

/** Balance due + open hub orders + this order against the limit; no limit never exceeds. */
export function checkCredit(input: CreditCheckInput): CreditCheckResult {
  const exposure = new Decimal(input.balanceDue).plus(input.openHubOrders).plus(input.thisOrder);
  if (input.creditLimit === null) {
    return { exceeded: false, exposure: exposure.toFixed(2), available: null };
  }
  const limit = new Decimal(input.creditLimit);
  return {
    exceeded: exposure.greaterThan(limit),
    exposure: exposure.toFixed(2),
    available: limit.minus(exposure).toFixed(2),
  };
}
