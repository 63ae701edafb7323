import { checkCredit } from './credit.js';

describe(checkCredit.name, () => {
  it('adds the balance due, open hub orders and this order against the limit', () => {
    expect(
      checkCredit({
        creditLimit: '1000',
        balanceDue: '600',
        openHubOrders: '300',
        thisOrder: '100',
      }),
    ).toEqual({ exceeded: false, exposure: '1000.00', available: '0.00' });
    expect(
      checkCredit({
        creditLimit: '1000',
        balanceDue: '600',
        openHubOrders: '300',
        thisOrder: '100.01',
      }),
    ).toMatchObject({ exceeded: true, available: '-0.01' });
  });

  it('never exceeds where the ERP sets no limit, and counts a credit balance', () => {
    expect(
      checkCredit({ creditLimit: null, balanceDue: '9e9', openHubOrders: '0', thisOrder: '1' })
        .exceeded,
    ).toBe(false);
    expect(
      checkCredit({ creditLimit: '100', balanceDue: '-50', openHubOrders: '0', thisOrder: '150' })
        .exceeded,
    ).toBe(false);
  });
});
