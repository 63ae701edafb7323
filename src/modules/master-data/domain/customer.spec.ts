import { checkCustomer, type Customer } from './customer.js';
import type { RecordProblem } from '../../../platform/kernel/index.js';

const aCustomer = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  erpId: 'C10042',
  name: 'Acme Hardware Inc.',
  parentErpId: 'C10000',
  status: 'ACTIVE',
  creditLimit: '25000',
  balanceDue: '1834.5',
  paymentTerms: 'NET30',
  currency: 'USD',
  taxAreaCode: 'OH-FRANKLIN',
  taxExemptionNumber: null,
  taxLiable: true,
  email: 'purchasing@acme.example',
  phone: null,
  website: 'https://www.acme.example',
  address: {
    addressLines: ['4410 Commerce Dr'],
    city: 'Columbus',
    region: 'OH',
    postalCode: '43215',
    country: 'US',
  },
  shipTos: [
    {
      code: 'MAIN',
      name: 'Main warehouse',
      addressLines: ['1200 Industrial Pkwy'],
      city: 'Columbus',
      region: 'OH',
      postalCode: '43215',
      country: 'US',
      defaultWarehouseCode: 'WH-EAST',
      taxAreaCode: null,
    },
  ],
  ...overrides,
});

const problemsOf = (input: unknown): RecordProblem[] => {
  const result = checkCustomer(input);
  return result.ok ? [] : result.problems;
};
const valueOf = (input: unknown): Customer => {
  const result = checkCustomer(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
};

describe(checkCustomer.name, () => {
  it('accepts a valid customer and writes money with four decimals', () => {
    const customer = valueOf(aCustomer());
    expect(customer).toMatchObject({ erpId: 'C10042', creditLimit: '25000.0000' });
    expect(customer.balanceDue).toBe('1834.5000');
  });

  it('trims padded ERP values, upper-cases codes and reads blank optional text as absent', () => {
    const customer = valueOf(
      aCustomer({ erpId: 'C10042   ', currency: 'usd', paymentTerms: '  ', phone: '' }),
    );
    expect(customer).toMatchObject({
      erpId: 'C10042',
      currency: 'USD',
      paymentTerms: null,
      phone: null,
    });
  });

  it('reports every problem of a record at once', () => {
    const problems = problemsOf(
      aCustomer({
        name: '',
        currency: 'XYZ',
        creditLimit: '-1.00',
        status: 'ON_HOLD',
        shipTos: [
          { code: 'MAIN', name: 'A', addressLines: ['x'], city: 'C', country: 'USA' },
          { code: 'main', name: 'B', addressLines: [], city: '', country: 'US' },
        ],
      }),
    );
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['name', 'REQUIRED'],
      ['status', 'NOT_ALLOWED'],
      ['creditLimit', 'NEGATIVE'],
      ['currency', 'UNKNOWN_CURRENCY'],
      ['shipTos[0].country', 'INVALID_COUNTRY'],
      ['shipTos[1].addressLines', 'REQUIRED'],
      ['shipTos[1].city', 'REQUIRED'],
      ['shipTos[1].code', 'DUPLICATE_SHIP_TO'],
    ]);
  });

  it('accepts a parent the hub does not know yet, but not the customer itself', () => {
    expect(problemsOf(aCustomer({ parentErpId: 'NOT-SYNCED-YET' }))).toEqual([]);
    expect(problemsOf(aCustomer({ parentErpId: 'C10042' }))).toEqual([
      expect.objectContaining({ field: 'parentErpId', code: 'PARENT_IS_SELF' }),
    ]);
  });

  it('reads a null credit limit as "no limit" and zero as a limit of zero', () => {
    expect(valueOf(aCustomer({ creditLimit: null })).creditLimit).toBeNull();
    expect(valueOf(aCustomer({ creditLimit: '0' })).creditLimit).toBe('0.0000');
  });

  it('accepts a negative balance (customer in credit)', () => {
    expect(valueOf(aCustomer({ balanceDue: '-12.5' })).balanceDue).toBe('-12.5000');
  });

  it('refuses money that is a JS number, in exponent form, or finer than four decimals', () => {
    expect(problemsOf(aCustomer({ balanceDue: 12.5 }))[0]).toMatchObject({ code: 'NOT_A_DECIMAL' });
    expect(problemsOf(aCustomer({ creditLimit: '1e5' }))[0]).toMatchObject({
      code: 'NOT_A_DECIMAL',
    });
    expect(problemsOf(aCustomer({ creditLimit: '1.00001' }))[0]).toMatchObject({
      code: 'OUT_OF_RANGE',
    });
    expect(problemsOf(aCustomer({ balanceDue: undefined }))[0]).toMatchObject({
      field: 'balanceDue',
      code: 'REQUIRED',
    });
  });

  it("keeps the customer's own address whole or in part, and none at all as null", () => {
    expect(valueOf(aCustomer()).address).toEqual({
      addressLines: ['4410 Commerce Dr'],
      city: 'Columbus',
      region: 'OH',
      postalCode: '43215',
      country: 'US',
    });
    const partial = { addressLines: ['', ' '], city: ' Reno ', country: 'us' };
    expect(valueOf(aCustomer({ address: partial })).address).toEqual({
      addressLines: [],
      city: 'Reno',
      region: null,
      postalCode: null,
      country: 'US',
    });
    const blank = { addressLines: [], city: '', region: null, postalCode: ' ', country: '' };
    expect(valueOf(aCustomer({ address: blank })).address).toBeNull();
    expect(valueOf(aCustomer({ address: null })).address).toBeNull();
  });

  it('refuses a malformed address country and a tax liability that is not a boolean', () => {
    expect(
      problemsOf(aCustomer({ address: { addressLines: [], country: 'USA' }, taxLiable: 'yes' })),
    ).toEqual([
      expect.objectContaining({ field: 'taxLiable', code: 'NOT_A_BOOLEAN' }),
      expect.objectContaining({ field: 'address.country', code: 'INVALID_COUNTRY' }),
    ]);
    expect(problemsOf(aCustomer({ taxLiable: undefined }))).toEqual([
      expect.objectContaining({ field: 'taxLiable', code: 'REQUIRED' }),
    ]);
  });

  it('refuses something that is not a record at all', () => {
    expect(problemsOf(null)).toContainEqual({
      code: 'NOT_AN_OBJECT',
      field: '$',
      message: 'must be an object',
    });
  });
});
