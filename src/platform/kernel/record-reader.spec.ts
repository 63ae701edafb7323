import { isIsoDate, RecordReader } from './record-reader.js';

describe(RecordReader.name, () => {
  it('normalises decimals to their canonical spelling and checks scale and sign', () => {
    const r = RecordReader.of({ a: '12.500', b: '-1', c: '0.12345', d: 3, e: '007' });
    expect(r.decimal('a', { maxScale: 4 })).toBe('12.5');
    expect(r.optionalDecimal('b', { maxScale: 4, sign: 'non-negative' })).toBeNull();
    expect(r.optionalDecimal('c', { maxScale: 4 })).toBeNull();
    expect(r.optionalDecimal('d', { maxScale: 4 })).toBeNull();
    expect(r.decimal('e', { maxScale: 0, sign: 'positive' })).toBe('7');
    expect(r.problems.map((p) => [p.field, p.code])).toEqual([
      ['b', 'NEGATIVE'],
      ['c', 'TOO_PRECISE'],
      ['d', 'NOT_A_DECIMAL'],
    ]);
  });

  it('reads calendar dates strictly and blank optional texts as absent', () => {
    const r = RecordReader.of({ from: '2026-02-29', to: '2028-02-29', note: '   ', when: '' });
    expect(r.optionalDate('from')).toBeNull();
    expect(r.date('to')).toBe('2028-02-29');
    expect(r.optionalText('note')).toBeNull();
    expect(r.optionalDate('when')).toBeNull();
    expect(r.problems).toEqual([
      { code: 'NOT_A_DATE', field: 'from', message: 'from must be a calendar date YYYY-MM-DD' },
    ]);
    expect(isIsoDate('2026-13-01')).toBe(false);
  });

  it('reads key lists without duplicates and reports bad elements by index', () => {
    const r = RecordReader.of({ channels: ['Web', 'web', '', 7] }, [], 'promotion');
    expect(r.keyList('channels', (c) => c.toLowerCase())).toEqual(['web']);
    expect(r.problems.map((p) => p.field)).toEqual([
      'promotion.channels[2]',
      'promotion.channels[3]',
    ]);
  });
});
