import {
  classifyDeltaEntries,
  contentHash,
  compareDeltaPositions,
} from './delta-entry.classifier.js';
import { collapsePage } from './delta-table.writer.js';
import type { DeltaTable, RecordCheck } from './delta-sync.types.js';

interface Thing {
  code: string;
  size: number;
}

const stream = {
  check: (input: unknown): RecordCheck<Thing> => {
    const r = input as Partial<Thing> | null;
    return r && typeof r.code === 'string' && typeof r.size === 'number'
      ? { ok: true, value: { code: r.code.trim(), size: r.size } }
      : {
          ok: false,
          problems: [{ code: 'BAD', field: 'code', message: 'code and size required' }],
        };
  },
};

const table: DeltaTable<Thing> = {
  name: 't',
  keyColumns: ['code'],
  columns: [['code', 'text']],
  toRow: (t) => ({ code: t.code }),
  keyOf: (t) => t.code,
};

describe(classifyDeltaEntries.name, () => {
  it('accepts checked records, deletions and refuses the rest, every one with its reason', () => {
    const page = classifyDeltaEntries(
      stream,
      [
        { sourceId: 'a', modifiedAt: '2026-05-13T10:00:00Z', record: { code: ' A ', size: 1 } },
        { sourceId: 'b', modifiedAt: '2026-05-13T10:00:01Z', deleted: true },
        { sourceId: 'c', modifiedAt: '2026-05-13T10:00:02Z', record: { code: 'C' } },
        { sourceId: 'd', modifiedAt: 'yesterday', record: { code: 'D', size: 4 } },
        { sourceId: 'e', invalid: { reason: 'unknown price type ZZ', payload: { t: 'ZZ' } } },
        { modifiedAt: '2026-05-13T10:00:03Z', record: { code: 'F', size: 6 } },
      ],
      null,
    );
    expect(page.changes).toEqual([
      {
        sourceId: 'a',
        modifiedAt: new Date('2026-05-13T10:00:00Z'),
        record: { code: 'A', size: 1 },
        contentHash: contentHash({ code: 'A', size: 1 }),
      },
    ]);
    expect(page.deletions).toEqual([
      { sourceId: 'b', modifiedAt: new Date('2026-05-13T10:00:01Z') },
    ]);
    expect(page.refused.map((r) => [r.sourceId, r.reason])).toEqual([
      ['c', '1 problem: code: code and size required [BAD]'],
      ['d', 'modifiedAt "yesterday" is not an ISO 8601 timestamp with an offset.'],
      ['e', 'unknown price type ZZ'],
      [null, 'The feed entry has no sourceId.'],
    ]);
    expect(page.seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(page.highest).toEqual({ modifiedAt: new Date('2026-05-13T10:00:02Z'), sourceId: 'c' });
  });

  it('notices an entry older than one already seen in the pass', () => {
    const page = classifyDeltaEntries(
      stream,
      [{ sourceId: 'a', modifiedAt: '2026-05-13T09:00:00Z', record: { code: 'A', size: 1 } }],
      { modifiedAt: new Date('2026-05-13T10:00:00Z'), sourceId: 'z' },
    );
    expect(page.outOfOrder).toBe(true);
  });

  it('hashes content independently of property order and of the source id', () => {
    expect(contentHash({ code: 'A', size: 1 })).toBe(contentHash({ size: 1, code: 'A' }));
    expect(contentHash({ code: 'A', size: 1 })).not.toBe(contentHash({ code: 'A', size: 2 }));
  });
});

describe(compareDeltaPositions.name, () => {
  it('orders by time, then by source id in code-unit order', () => {
    const t = new Date('2026-05-13T10:00:00Z');
    expect(
      compareDeltaPositions({ modifiedAt: t, sourceId: 'B' }, { modifiedAt: t, sourceId: 'a' }),
    ).toBeLessThan(0);
    expect(
      compareDeltaPositions({ modifiedAt: t, sourceId: '' }, { modifiedAt: t, sourceId: 'a' }),
    ).toBeLessThan(0);
  });
});

describe(collapsePage.name, () => {
  const at = (s: number): Date => new Date(Date.UTC(2026, 4, 13, 10, 0, s));
  const change = (sourceId: string, s: number, code: string, size = 1) => ({
    sourceId,
    modifiedAt: at(s),
    record: { code, size },
    contentHash: `${code}${size}`,
  });

  it('keeps the latest version of each source record, a deletion winning a tie', () => {
    const result = collapsePage(
      table.keyOf,
      [change('a', 1, 'A', 1), change('a', 3, 'A', 3), change('b', 2, 'B')],
      [
        { sourceId: 'a', modifiedAt: at(2) },
        { sourceId: 'b', modifiedAt: at(2) },
      ],
    );
    expect(result.changes.map((c) => [c.sourceId, c.record.size])).toEqual([['a', 3]]);
    expect(result.deletions).toEqual([{ sourceId: 'b', modifiedAt: at(2) }]);
  });

  it('keeps one record per business key when two source records claim it', () => {
    const result = collapsePage(table.keyOf, [change('x', 5, 'K', 1), change('y', 4, 'K', 2)], []);
    expect(result.changes.map((c) => c.sourceId)).toEqual(['x']);
  });
});
