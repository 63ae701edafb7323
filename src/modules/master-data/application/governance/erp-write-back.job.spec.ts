import { validateWriteBackPayload } from './erp-write-back.job.js';

describe(validateWriteBackPayload.name, () => {
  const failed = {
    kind: 'ship-to',
    customerErpId: 'C10001',
    requestId: 'req-1',
    shipTo: { code: 'ST01', name: 'Main dock', city: 'Dayton' },
  };

  it('accepts a corrected ship-to of the same write', () => {
    const sut = validateWriteBackPayload(
      { ...failed, shipTo: { ...failed.shipTo, city: 'Columbus' } },
      failed,
    );
    expect(sut).toEqual([]);
  });

  it('refuses an unrelated payload, naming each problem', () => {
    expect(validateWriteBackPayload({ sku: 'ABR-10015', quantity: '3' }, failed)).toEqual([
      'kind: required string',
      'customerErpId: required string',
      'requestId: required string',
      'sku: not allowed',
      'quantity: not allowed',
    ]);
  });

  it('refuses a write for another customer or of another kind', () => {
    expect(validateWriteBackPayload({ ...failed, customerErpId: 'C20002' }, failed)).toEqual([
      'customerErpId: must be C10001, as in the failed write',
    ]);
    expect(
      validateWriteBackPayload(
        { kind: 'customer-fields', customerErpId: 'C10001', requestId: 'req-1', fields: { a: 1 } },
        failed,
      ),
    ).toEqual(['kind: must be ship-to, as in the failed write']);
  });

  it('refuses a payload that is not an object', () => {
    expect(validateWriteBackPayload([failed], failed)).toEqual(['payload must be an object']);
    expect(validateWriteBackPayload('x', failed)).toEqual(['payload must be an object']);
  });
});
