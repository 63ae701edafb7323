import { resolveShipTo } from '../ship-to.js';
import type { CustomerFacts } from './order-rule.js';
import { taxAttributesPresent } from './tax-attributes.rule.js';

const customer = (overrides: Partial<CustomerFacts> = {}): CustomerFacts => ({
  erpId: 'C1',
  status: 'ACTIVE',
  currency: 'USD',
  taxAreaCode: null,
  taxExemptionNumber: null,
  taxLiable: true,
  shipTos: [{ code: 'ST01', taxAreaCode: 'NV', defaultWarehouseCode: null }],
  ...overrides,
});
const check = (c: CustomerFacts, shipToId?: string) =>
  taxAttributesPresent.check({
    customer: c,
    choice: resolveShipTo({ shipToId }, c),
    shipToNamed: shipToId !== undefined,
  }).violations;

describe(taxAttributesPresent.name, () => {
  it('reports a customer with no tax area, no exemption and no named ship-to', () => {
    expect(check(customer())).toEqual([
      expect.objectContaining({ code: 'TAX_ATTRIBUTES_MISSING', field: 'customerId' }),
    ]);
  });

  it("passes the customer's tax area, a named ship-to's tax area, or an exemption", () => {
    expect(check(customer({ taxAreaCode: 'CA' }))).toEqual([]);
    expect(check(customer(), 'ST01')).toEqual([]);
    expect(check(customer({ taxExemptionNumber: 'EX-1' }))).toEqual([]);
  });

  it('asks nothing of a customer the ERP holds not tax liable', () => {
    expect(check(customer({ taxLiable: false }))).toEqual([]);
  });

  it('points at the named ship-to when it has no tax area either', () => {
    const c = customer({
      shipTos: [{ code: 'ST02', taxAreaCode: null, defaultWarehouseCode: null }],
    });
    expect(check(c, 'ST02')).toEqual([expect.objectContaining({ field: 'shipToId' })]);
  });
});
