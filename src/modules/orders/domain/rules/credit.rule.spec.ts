import { creditWithinLimit } from './credit.rule.js';

const facts = (creditLimit: string | null) => ({
  account: 'C1',
  creditLimit,
  balanceDue: '400.00',
  openHubOrders: '300.00',
  orderTotal: '200.00',
});

describe(creditWithinLimit.name, () => {
  it('passes an order within the limit, and an account without one', () => {
    expect(creditWithinLimit.check(facts('900.00')).violations).toEqual([]);
    expect(creditWithinLimit.check(facts(null)).violations).toEqual([]);
  });

  it('reports the exposure over the limit, counting open hub orders', () => {
    expect(creditWithinLimit.check(facts('899.99')).violations).toEqual([
      expect.objectContaining({
        code: 'CREDIT_LIMIT_EXCEEDED',
        field: 'customerId',
        message: expect.stringContaining('= 900.00'),
      }),
    ]);
  });
});
