import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  planUpdate,
  queueWholeShipTo,
  type CustomerFields,
  type ShipToFields,
} from './customer-update.js';
import { mergeGoverned } from './governed-merge.js';
import { aCustomerValue } from './governance.fixtures.js';
import { parseSystemOfRecord } from './system-of-record.js';

const matrix = parseSystemOfRecord(
  parse(readFileSync(join(process.cwd(), 'config', 'system-of-record.yaml'), 'utf8')),
);
const now = new Date('2026-06-01T10:00:00Z');
const never = (): null => null;

describe(planUpdate.name, () => {
  it('decides a mixed CRM update field by field', () => {
    const plan = planUpdate<CustomerFields>(
      matrix,
      'customer',
      'crm',
      now,
      { phone: '+1 9', creditLimit: '1.00' },
      never,
    );
    expect(plan.apply).toEqual({ phone: '+1 9' });
    expect(plan.acceptedLatest).toEqual(['phone']);
    expect(plan.outcomes).toEqual([
      { field: 'phone', result: 'applied' },
      expect.objectContaining({
        field: 'creditLimit',
        result: 'rejected',
        code: 'FIELD_NOT_OWNED',
        owner: 'erp',
      }),
    ]);
  });

  it('ignores a stale accept-latest field and says since when the stored value holds', () => {
    const stored = new Date('2026-06-01T11:00:00Z');
    const plan = planUpdate<CustomerFields>(
      matrix,
      'customer',
      'crm',
      now,
      { email: 'x@y' },
      () => stored,
    );
    expect(plan.apply).toEqual({});
    expect(plan.outcomes[0]).toMatchObject({
      result: 'ignored',
      code: 'STALE_UPDATE',
      storedSourceUpdatedAt: stored.toISOString(),
    });
  });

  it('queues a whole new ship-to from the CRM and keeps the rejected tax area out of it', () => {
    const plan = queueWholeShipTo(
      planUpdate<ShipToFields>(
        matrix,
        'ship-to',
        'crm',
        now,
        { name: 'Dock', city: 'Toledo', taxAreaCode: 'OH-LUCAS' },
        never,
        'DOCK',
      ),
    );
    expect(plan.queue).toEqual({ name: 'Dock', city: 'Toledo' });
    expect(plan.apply).toEqual({});
    expect(plan.outcomes.find((o) => o.field === 'taxAreaCode')).toMatchObject({
      result: 'rejected',
    });
  });
});

describe(mergeGoverned.name, () => {
  it('lets the ERP sync write the fields it owns and keep the CRM-owned ones', () => {
    const stored = aCustomerValue({ phone: '+1 crm', creditLimit: '100.0000' });
    const incoming = aCustomerValue({ phone: '+1 erp', creditLimit: '200.00' });
    const { record } = mergeGoverned('customers', matrix, 'erp', now, stored, incoming, never);
    expect(record.creditLimit).toBe('200.00');
    expect(record.phone).toBe('+1 crm');
  });

  it('takes a record the hub does not hold yet whole', () => {
    const incoming = aCustomerValue({ phone: '+1 erp' });
    expect(mergeGoverned('customers', matrix, 'erp', now, undefined, incoming, never).record).toBe(
      incoming,
    );
  });
});
