import { customerActive } from './customer-active.rule.js';
import type { CustomerFacts } from './order-rule.js';

const customer = (status: string): CustomerFacts => ({
  erpId: 'C1',
  status,
  currency: 'USD',
  taxAreaCode: 'NV',
  taxExemptionNumber: null,
  taxLiable: true,
  shipTos: [],
});

describe(customerActive.name, () => {
  it('passes an active customer', () => {
    expect(customerActive.check({ customerId: 'C1', customer: customer('ACTIVE') })).toEqual({
      violations: [],
      adjustments: [],
    });
  });

  it.each([
    ['INACTIVE', 'CUSTOMER_INACTIVE'],
    ['BLOCKED', 'CUSTOMER_BLOCKED'],
  ])('reports a customer %s as %s', (status, code) => {
    const { violations } = customerActive.check({ customerId: 'C1', customer: customer(status) });
    expect(violations).toEqual([expect.objectContaining({ code, field: 'customerId' })]);
  });

  it('reports an unknown customer by the number the channel sent', () => {
    const { violations } = customerActive.check({ customerId: 'NOPE', customer: null });
    expect(violations).toEqual([
      expect.objectContaining({
        code: 'CUSTOMER_NOT_FOUND',
        message: expect.stringContaining('NOPE'),
      }),
    ]);
  });
});
