import { currencyAccepted } from './currency.rule.js';
import type { CustomerFacts } from './order-rule.js';

const customer: CustomerFacts = {
  erpId: 'C1',
  status: 'ACTIVE',
  currency: 'USD',
  taxAreaCode: 'NV',
  taxExemptionNumber: null,
  taxLiable: true,
  shipTos: [],
};

describe(currencyAccepted.name, () => {
  it("passes the customer's currency", () => {
    expect(currencyAccepted.check({ customer, currency: 'USD' }).violations).toEqual([]);
  });

  it('reports another currency', () => {
    expect(currencyAccepted.check({ customer, currency: 'EUR' }).violations).toEqual([
      expect.objectContaining({ code: 'CURRENCY_NOT_ACCEPTED', field: 'currency' }),
    ]);
  });
});
