import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  decideField,
  type FieldOwnership,
  parseSystemOfRecord,
  SystemOfRecordError,
} from './system-of-record.js';

const repoMatrix = (): Record<string, unknown> =>
  parse(readFileSync(join(process.cwd(), 'config', 'system-of-record.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;

const problemsOf = (document: unknown): string[] => {
  try {
    parseSystemOfRecord(document, 'test.yaml');
  } catch (error) {
    if (error instanceof SystemOfRecordError) return error.problems;
    throw error;
  }
  return [];
};

describe(parseSystemOfRecord.name, () => {
  it('accepts the reviewed matrix of the repository with the distributor defaults', () => {
    const matrix = parseSystemOfRecord(repoMatrix());
    expect(matrix.entities.customer.creditLimit).toEqual({
      owner: 'erp',
      updaters: [],
      rule: 'reject',
      erpWriteBack: false,
    });
    expect(matrix.entities.customer.email.owner).toBe('crm');
    expect(matrix.entities['ship-to'].addressLines).toMatchObject({
      updaters: ['crm'],
      rule: 'steward',
    });
    expect(matrix.entities.inventory.onHand.owner).toBe('wms');
    // Channels own nothing in master data.
    for (const fields of Object.values(matrix.entities)) {
      for (const f of Object.values(fields)) expect(['erp', 'crm', 'wms']).toContain(f.owner);
    }
  });

  it('names every bad entry by its path', () => {
    const doc = repoMatrix();
    const entities = doc.entities as Record<string, Record<string, unknown>>;
    entities.customer.email = { owner: 'crm', rule: 'sometimes' };
    entities.customer.phone = { owner: 'sap', rule: 'reject' };
    entities.customer.nickname = { owner: 'crm', rule: 'reject' };
    delete entities.item.status;
    entities['ship-to'].city = { owner: 'erp', rule: 'steward' };
    entities.warehouse.name = { owner: 'erp', updaters: ['wms'], rule: 'reject' };
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        'entities.customer.email.rule: must be one of reject, steward, accept-latest (got "sometimes")',
        expect.stringMatching(/^entities\.customer\.phone\.owner: must be one of erp, crm/),
        'entities.customer.nickname: unknown field of customer',
        'entities.item.status: not declared (every field needs an owner)',
        'entities.ship-to.city.updaters: rule steward needs the systems whose changes are queued',
        'entities.warehouse.name.updaters: rule reject refuses every other system; list no updaters',
      ]),
    );
  });

  it('refuses a document that is not a matrix at all', () => {
    expect(problemsOf('hello')).toEqual(['the document must be a map']);
    expect(problemsOf({ version: 2, entities: {} })).toContain('version: must be 1 (got 2)');
  });
});

describe(decideField.name, () => {
  const at = (iso: string): Date => new Date(iso);
  const rule = (overrides: Partial<FieldOwnership>): FieldOwnership => ({
    owner: 'erp',
    updaters: [],
    rule: 'reject',
    erpWriteBack: false,
    ...overrides,
  });
  const now = at('2026-06-01T10:00:00Z');

  it("applies the owner's write and rejects anyone else's, naming the owner", () => {
    expect(decideField(rule({}), 'erp', now, null)).toEqual({ kind: 'apply' });
    expect(decideField(rule({}), 'crm', now, null)).toEqual({ kind: 'reject', owner: 'erp' });
  });

  it('queues an updater under steward and still rejects a system that is not one', () => {
    const steward = rule({ updaters: ['crm'], rule: 'steward' });
    expect(decideField(steward, 'crm', now, null)).toEqual({ kind: 'queue' });
    expect(decideField(steward, 'ecommerce', now, null)).toEqual({ kind: 'reject', owner: 'erp' });
    expect(decideField(steward, 'erp', now, null)).toEqual({ kind: 'apply' });
  });

  it('under accept-latest applies newer writes and ignores older or equal ones, owner included', () => {
    const latest = rule({ owner: 'crm', updaters: ['erp'], rule: 'accept-latest' });
    const stored = at('2026-06-01T09:00:00Z');
    expect(decideField(latest, 'crm', now, stored)).toEqual({ kind: 'apply' });
    expect(decideField(latest, 'erp', now, stored)).toEqual({ kind: 'apply' });
    expect(decideField(latest, 'crm', stored, now)).toEqual({ kind: 'stale', storedAt: now });
    expect(decideField(latest, 'crm', now, now)).toEqual({ kind: 'stale', storedAt: now });
    expect(decideField(latest, 'wms', now, null)).toEqual({ kind: 'reject', owner: 'crm' });
  });
});
