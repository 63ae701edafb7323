import { ALL_CUSTOMERS, customerScopeAllows } from './auth.types.js';

describe(customerScopeAllows.name, () => {
  const listed = { kind: 'LISTED', accounts: ['C10003'] } as const;

  it('covers a listed account', () => {
    expect(customerScopeAllows(listed, ['C10003'])).toBe(true);
  });

  it('covers the child accounts of a listed account, however deep', () => {
    expect(customerScopeAllows(listed, ['C10004', 'C10003'])).toBe(true);
    expect(customerScopeAllows(listed, ['C20000', 'C10004', 'C10003'])).toBe(true);
  });

  it("does not cover a listed account's parent or siblings", () => {
    expect(customerScopeAllows({ kind: 'LISTED', accounts: ['C10004'] }, ['C10003'])).toBe(false);
    expect(
      customerScopeAllows({ kind: 'LISTED', accounts: ['C10004'] }, ['C10005', 'C10003']),
    ).toBe(false);
  });

  it('covers nothing with an empty list, and everything with ALL or no channel at all', () => {
    expect(customerScopeAllows({ kind: 'LISTED', accounts: [] }, ['C10001'])).toBe(false);
    expect(customerScopeAllows(ALL_CUSTOMERS, ['C10001'])).toBe(true);
    expect(customerScopeAllows(undefined, ['C10001'])).toBe(true);
  });
});
