import type { Customer } from './customer.js';

/** A valid customer for the governance specs. */
export const aCustomerValue = (overrides: Partial<Customer> = {}): Customer => ({
  erpId: 'C1',
  name: 'Acme',
  parentErpId: null,
  status: 'ACTIVE',
  creditLimit: '100.0000',
  balanceDue: '0.0000',
  paymentTerms: 'NET30',
  currency: 'USD',
  taxAreaCode: null,
  taxExemptionNumber: null,
  taxLiable: true,
  email: 'a@acme.example',
  phone: '+1 1',
  website: null,
  address: null,
  shipTos: [
    {
      code: 'MAIN',
      name: 'Main',
      addressLines: ['1 Main St'],
      city: 'Columbus',
      region: 'OH',
      postalCode: '43215',
      country: 'US',
      defaultWarehouseCode: null,
      taxAreaCode: null,
    },
  ],
  ...overrides,
});
