import { checkWarehouse } from './warehouse.js';

describe(checkWarehouse.name, () => {
  it('accepts a location without an address', () => {
    expect(
      checkWarehouse({ code: 'TRANSIT', name: 'In transit', address: null, active: true }),
    ).toEqual({
      ok: true,
      value: { code: 'TRANSIT', name: 'In transit', address: null, active: true },
    });
  });

  it('checks an address when there is one, and needs the active flag', () => {
    const result = checkWarehouse({
      code: 'WH-EAST',
      name: 'East',
      address: { addressLines: ['500 Logistics Dr'], city: 'Columbus', country: 'United States' },
    });
    expect(result.ok ? [] : result.problems.map((p) => [p.field, p.code])).toEqual([
      ['address.country', 'INVALID_COUNTRY'],
      ['active', 'REQUIRED'],
    ]);
  });
});
