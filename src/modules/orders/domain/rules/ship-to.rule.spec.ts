import { resolveShipTo } from '../ship-to.js';
import type { CustomerFacts } from './order-rule.js';
import { shipToKnown } from './ship-to.rule.js';

const customer: CustomerFacts = {
  erpId: 'C1',
  status: 'ACTIVE',
  currency: 'USD',
  taxAreaCode: null,
  taxExemptionNumber: null,
  taxLiable: true,
  shipTos: [{ code: 'ST01', taxAreaCode: 'NV', defaultWarehouseCode: 'EAST' }],
};

describe(shipToKnown.name, () => {
  it("passes one of the customer's codes, in any case", () => {
    const choice = resolveShipTo({ shipToId: 'st01' }, customer);
    expect(shipToKnown.check({ customer, choice }).violations).toEqual([]);
  });

  it('reports a code the customer does not have', () => {
    const choice = resolveShipTo({ shipToId: 'ST99' }, customer);
    expect(shipToKnown.check({ customer, choice }).violations).toEqual([
      expect.objectContaining({
        code: 'SHIP_TO_INVALID',
        field: 'shipToId',
        message: expect.stringContaining('ST99'),
      }),
    ]);
  });

  it('leaves an unknown customer to the customer rule', () => {
    const choice = resolveShipTo({ shipToId: 'ST99' }, null);
    expect(shipToKnown.check({ customer: null, choice }).violations).toEqual([]);
  });
});
