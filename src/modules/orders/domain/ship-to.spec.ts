import { erpShipToOf, resolveShipTo } from './ship-to.js';
import type { CustomerFacts } from './rules/order-rule.js';

const customer: CustomerFacts = {
  erpId: 'C1',
  status: 'ACTIVE',
  currency: 'USD',
  taxAreaCode: null,
  taxExemptionNumber: null,
  taxLiable: true,
  shipTos: [
    { code: 'ST01', taxAreaCode: 'NV', defaultWarehouseCode: 'EAST' },
    { code: 'ST02', taxAreaCode: null, defaultWarehouseCode: null },
  ],
};
const address = {
  name: 'Dock 4',
  addressLine1: '1 Main St',
  addressLine2: null,
  city: 'Reno',
  region: 'NV',
  postalCode: '89501',
  country: 'US',
};

describe(resolveShipTo.name, () => {
  it("resolves a named code to the customer's spelling, tax area and warehouse", () => {
    expect(resolveShipTo({ shipToId: 'st01' }, customer)).toEqual({
      shipTo: { code: 'ST01' },
      taxAreaCode: 'NV',
      preferredWarehouse: 'EAST',
      unknownCode: null,
      pricingCode: 'ST01',
    });
  });

  it('keeps an unknown code for the rule to report', () => {
    expect(resolveShipTo({ shipToId: 'X' }, customer)).toMatchObject({
      shipTo: null,
      unknownCode: 'X',
    });
  });

  it("uses a one-time address as given, else the customer's first ship-to as default", () => {
    expect(resolveShipTo({ shipToAddress: address }, customer).shipTo).toEqual({ address });
    expect(resolveShipTo({}, customer)).toMatchObject({
      shipTo: { code: 'ST01', isDefault: true },
      pricingCode: null,
      taxAreaCode: null,
    });
    expect(resolveShipTo({}, { ...customer, shipTos: [] }).shipTo).toBeNull();
  });
});

describe(erpShipToOf.name, () => {
  it('names a chosen code and a one-time address, and leaves the default to the ERP', () => {
    expect(erpShipToOf({ code: 'ST02' })).toEqual({ kind: 'code', code: 'ST02' });
    expect(erpShipToOf({ address })).toEqual({ kind: 'address', ...address });
    expect(erpShipToOf({ code: 'ST01', isDefault: true })).toBeNull();
    expect(erpShipToOf(null)).toBeNull();
  });
});
