import { classifyEntries, comparePositions } from './feed-entry.classifier.js';

const warehouse = (code: string) => ({
  code,
  name: `Warehouse ${code}`,
  address: null,
  active: true,
});

describe(classifyEntries.name, () => {
  it('normalises valid records and gives each a hash', () => {
    const page = classifyEntries(
      'warehouses',
      [
        {
          sourceId: 'w1',
          modifiedAt: '2026-05-13T10:00:00Z',
          record: { ...warehouse('WH-1'), code: ' WH-1 ' },
        },
      ],
      null,
    );
    expect(page.refused).toEqual([]);
    expect(page.valid).toEqual([
      {
        sourceId: 'w1',
        modifiedAt: new Date('2026-05-13T10:00:00Z'),
        record: { code: 'WH-1', name: 'Warehouse WH-1', address: null, active: true },
        hash: expect.any(String),
      },
    ]);
  });

  it('refuses unmappable rows, bad timestamps, entries without a sourceId and failing records', () => {
    const page = classifyEntries(
      'warehouses',
      [
        {
          sourceId: 'w1',
          modifiedAt: '2026-05-13T10:00:00Z',
          invalid: { reason: 'bad row', payload: { x: 1 } },
        },
        { sourceId: 'w2', modifiedAt: '13/05/2026', record: warehouse('WH-2') },
        { modifiedAt: '2026-05-13T10:01:00Z', record: warehouse('WH-3') },
        { sourceId: 'w4', modifiedAt: '2026-05-13T10:02:00Z', record: { code: 'WH-4' } },
      ],
      null,
    );
    expect(page.valid).toEqual([]);
    expect(page.refused.map((r) => [r.sourceId, r.reason])).toEqual([
      ['w1', 'bad row'],
      ['w2', 'modifiedAt "13/05/2026" is not an ISO 8601 timestamp with an offset.'],
      [null, 'The feed entry has no sourceId.'],
      [
        'w4',
        '2 problems: name: name is required [REQUIRED]; active: active must be true or false [REQUIRED]',
      ],
    ]);
    expect(page.refused[0].payload).toEqual({ x: 1 });
    expect(page.refused[3].payload).toEqual({ code: 'WH-4' });
  });

  it('reports the highest position on the page, refused records included', () => {
    const page = classifyEntries(
      'warehouses',
      [
        { sourceId: 'b', modifiedAt: '2026-05-13T10:00:00Z', record: warehouse('WH-1') },
        {
          sourceId: 'a',
          modifiedAt: '2026-05-13T10:05:00Z',
          invalid: { reason: 'x', payload: null },
        },
      ],
      null,
    );
    expect(page.highest).toEqual({ modifiedAt: new Date('2026-05-13T10:05:00Z'), sourceId: 'a' });
    expect(page.outOfOrder).toBe(false);
  });

  it('notices records older than ones already seen in the pass', () => {
    const page = classifyEntries(
      'warehouses',
      [{ sourceId: 'a', modifiedAt: '2026-05-13T09:00:00Z', record: warehouse('WH-1') }],
      { modifiedAt: new Date('2026-05-13T10:00:00Z'), sourceId: 'z' },
    );
    expect(page.outOfOrder).toBe(true);
  });
});

describe(comparePositions.name, () => {
  it('orders by time, then by sourceId in code-unit order', () => {
    const t = new Date('2026-05-13T10:00:00Z');
    expect(
      comparePositions({ modifiedAt: t, sourceId: 'B' }, { modifiedAt: t, sourceId: 'a' }),
    ).toBeLessThan(0);
    expect(
      comparePositions({ modifiedAt: t, sourceId: '' }, { modifiedAt: t, sourceId: 'a' }),
    ).toBeLessThan(0);
  });
});
