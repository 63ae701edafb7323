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
  email: 'purchasing@acme.example',
  phone: null,
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

  it('refuses something that is not a record at all', () => {
    expect(problemsOf(null)).toContainEqual({
      code: 'NOT_AN_OBJECT',
      field: '$',
      message: 'must be an object',
    });
  });
});
