import { generateDemoDataset } from '../demo-data/index.js';
import { BcError } from './bc-error.js';
import { CloudErpStore } from './cloud-erp-store.js';
import { SandboxClock, type TableRow } from './entity-table.js';
import { type EntityView, findView } from './entity-views.js';
import { parseFilter } from './odata-filter.js';
import { executeCollectionQuery, parseCollectionQuery } from './odata-query.js';

describe('OData query options', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const store = new CloudErpStore(
    generateDemoDataset({ scale: 0.05 }),
    new SandboxClock(() => now),
  );
  const customers = findView('v2.0', 'customers') as EntityView<unknown>;
  const table = store.tables.customers as unknown as { sorted(): TableRow<unknown>[] };

  const page = (query: string, pageSize?: number) => {
    const params = new URLSearchParams(query);
    const prefer = pageSize ? `odata.maxpagesize=${pageSize}` : undefined;
    const parsed = parseCollectionQuery(params, customers, prefer, 20_000, []);
    return executeCollectionQuery(customers, table.sorted(), store, parsed, params);
  };

  it('parses and/or/not with OData precedence and rejects malformed filters', () => {
    expect(parseFilter("a eq 'x' or b eq 1 and not (c gt 2)")).toEqual({
      kind: 'or',
      left: { kind: 'compare', field: 'a', op: 'eq', literal: 'x', quoted: true },
      right: {
        kind: 'and',
        left: { kind: 'compare', field: 'b', op: 'eq', literal: '1', quoted: false },
        right: {
          kind: 'not',
          operand: { kind: 'compare', field: 'c', op: 'gt', literal: '2', quoted: false },
        },
      },
    });
    expect(parseFilter("number eq 'O''Brien'")).toMatchObject({ literal: "O'Brien" });
    for (const bad of ["number eq 'open", 'number eq', 'number like 1', '(number eq 1']) {
      expect(() => parseFilter(bad)).toThrow(BcError);
    }
  });

  it('filters on typed properties: strings, decimals, instants and GUIDs', () => {
    const first = store.tables.customers.sorted()[0];
    expect(page(`$filter=number eq '${first.data.customerNo}'`).rows.map((r) => r.id)).toEqual([
      first.id,
    ]);
    expect(page(`$filter=id eq ${first.id.toUpperCase()}`).rows).toHaveLength(1);
    const rich = page('$filter=creditLimit ge 100000').rows;
    expect(
      rich.every((r) => Number((r.data as { creditLimit: string }).creditLimit) >= 100000),
    ).toBe(true);
    expect(() => page("$filter=creditLimit ge 'lots'")).toThrow(BcError);
    expect(() => page('$filter=displayName eq 5')).toThrow(BcError);
  });

  it('never skips a record that changes while a client pages through a delta', () => {
    const total = store.tables.customers.size;
    const seen = new Set<string>();
    let result = page('$filter=lastModifiedDateTime ge 2000-01-01T00:00:00Z', 3);
    result.rows.forEach((r) => seen.add(r.id));
    // The ERP edits a record the client has not read yet: it moves to the end of the order.
    const unread = store.tables.customers.sorted()[5];
    now += 1000;
    store.mutate('customers', unread.id, { creditLimit: '1.00' });
    while (result.next) {
      result = page(result.next, 3);
      result.rows.forEach((r) => seen.add(r.id));
    }
    expect(seen.size).toBe(total);
  });

  it('pages a custom $orderby by key as well', () => {
    const numbers: string[] = [];
    let result = page('$orderby=number desc', 4);
    for (;;) {
      numbers.push(...result.rows.map((r) => (r.data as { customerNo: string }).customerNo));
      if (!result.next) break;
      result = page(result.next, 4);
    }
    expect(numbers).toEqual([...numbers].sort().reverse());
    expect(new Set(numbers).size).toBe(store.tables.customers.size);
  });
});
