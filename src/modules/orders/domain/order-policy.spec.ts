import {
  BUILT_IN_POLICY,
  decide,
  policyFor,
  readPolicyFile,
  withinTolerance,
} from './order-policy.js';

describe('order policy', () => {
  it('rejects when any violation rejects, else holds, else accepts with adjustments', () => {
    const v = (code: 'PRICE_MISMATCH' | 'NO_PRICE' | 'INSUFFICIENT_AVAILABILITY') => ({
      code,
      field: 'lines[0]',
      message: code,
    });
    expect(decide(BUILT_IN_POLICY, [v('PRICE_MISMATCH'), v('NO_PRICE')]).outcome).toBe('reject');
    expect(
      decide(BUILT_IN_POLICY, [v('PRICE_MISMATCH'), v('INSUFFICIENT_AVAILABILITY')]),
    ).toMatchObject({
      outcome: 'hold',
      holds: [v('PRICE_MISMATCH')],
      adjustments: [v('INSUFFICIENT_AVAILABILITY')],
    });
    expect(decide(BUILT_IN_POLICY, [v('INSUFFICIENT_AVAILABILITY')]).outcome).toBe('accept');
  });

  it('accepts a price within the percent or the amount tolerance', () => {
    const policy = { ...BUILT_IN_POLICY, priceTolerance: { percent: '1', amount: '0.01' } };
    expect(withinTolerance(policy, '10.09', '10.00')).toBe(true);
    expect(withinTolerance(policy, '10.11', '10.00')).toBe(false);
    expect(withinTolerance(policy, '1.01', '1.00')).toBe(true);
    expect(withinTolerance(BUILT_IN_POLICY, '1.0000', '1')).toBe(true);
    expect(withinTolerance(BUILT_IN_POLICY, '1.0001', '1')).toBe(false);
  });

  it('resolves a channel by name, then by kind, then the defaults, each level inheriting', () => {
    const read = readPolicyFile({
      version: 1,
      defaults: { actions: { PRICE_MISMATCH: 'hold' } },
      byKind: { marketplace: { actions: { PRICE_MISMATCH: 'adjust' } } },
      byChannel: {
        strict: { actions: { CREDIT_LIMIT_EXCEEDED: 'reject' } },
        'amazon-eu': { kind: 'marketplace', allowSplitAcrossWarehouses: false },
      },
    });
    if (!read.ok) throw new Error(read.problems.join('; '));
    const { file } = read;
    expect(policyFor(file, { name: 'x', kind: 'marketplace' }).actions.PRICE_MISMATCH).toBe(
      'adjust',
    );
    expect(policyFor(file, { name: 'strict', kind: 'marketplace' }).actions).toMatchObject({
      PRICE_MISMATCH: 'hold',
      CREDIT_LIMIT_EXCEEDED: 'reject',
    });
    expect(policyFor(file, { name: 'amazon-eu', kind: 'edi' })).toMatchObject({
      allowSplitAcrossWarehouses: false,
      actions: { PRICE_MISMATCH: 'adjust' },
    });
  });

  it('names every bad entry of a policy file', () => {
    const read = readPolicyFile({
      version: 2,
      defaults: {
        actions: { NO_PRICE: 'hold', MADE_UP: 'reject' },
        priceTolerance: { percent: 1 },
      },
      byKind: { edi: { creditAccount: 'grandparent', extra: true } },
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems).toEqual([
      'version: must be 1',
      'defaults.actions.NO_PRICE: must be one of reject',
      expect.stringContaining('defaults.actions.MADE_UP: unknown code'),
      'defaults.priceTolerance.percent: must be a non-negative decimal string',
      'byKind.edi.extra: unknown key',
      'byKind.edi.creditAccount: must be one of customer, parent-account',
    ]);
  });
});
