import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrderPolicies, OrderPolicyError } from './order-policies.loader.js';

describe(loadOrderPolicies.name, () => {
  it('reads the policy file shipped in config/', () => {
    const policies = loadOrderPolicies('config/order-policies.yaml');
    expect(policies.for({ name: 'any', kind: 'marketplace' }).actions.PRICE_MISMATCH).toBe(
      'adjust',
    );
    expect(policies.for({ name: 'any', kind: 'ecommerce' }).actions.PRICE_MISMATCH).toBe('hold');
  });

  it('stops with every problem of a bad file named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'order-policy-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'version: 1\ndefaults:\n  actions:\n    NO_PRICE: hold\n  allowSplitAcrossWarehouses: maybe\n',
    );
    expect(() => loadOrderPolicies(file)).toThrow(OrderPolicyError);
    expect(() => loadOrderPolicies(file)).toThrow(
      /NO_PRICE: must be one of reject[\s\S]*allowSplitAcrossWarehouses: must be true or false/,
    );
    expect(() => loadOrderPolicies(join(dir, 'missing.yaml'))).toThrow(/cannot be read/);
  });
});
