import { aCustomerValue } from './governance.fixtures.js';
import { customerState, diffState, replayChanges } from './field-state.js';

describe(diffState.name, () => {
  it('records every field of a new record, nulls included, so replay rebuilds it', () => {
    const customer = aCustomerValue({ taxExemptionNumber: null });
    const changes = diffState(null, customerState(customer));
    expect(changes).toContainEqual({ field: 'taxExemptionNumber', oldValue: null, newValue: null });
    expect(replayChanges(changes)).toEqual(customerState(customer));
  });

  it('records only what changed, a removed ship-to as null, and replays to the new state', () => {
    const before = aCustomerValue();
    const after = aCustomerValue({ phone: '+1 2', shipTos: [] });
    const changes = diffState(customerState(before), customerState(after));
    expect(changes.map((c) => c.field)).toEqual(['phone', 'shipTos[MAIN]']);
    expect(changes[1].newValue).toBeNull();
    const replayed = replayChanges([...diffState(null, customerState(before)), ...changes]);
    expect(replayed).toEqual(customerState(after));
  });

  it('ignores key order inside values', () => {
    const state = customerState(aCustomerValue());
    const reordered = Object.fromEntries(Object.entries(state).reverse());
    expect(diffState(state, reordered)).toEqual([]);
  });
});
