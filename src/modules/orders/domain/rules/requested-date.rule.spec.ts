import { requestedDateNotPast } from './requested-date.rule.js';

describe(requestedDateNotPast.name, () => {
  it('reports a date before today', () => {
    expect(
      requestedDateNotPast.check({ requestedShipDate: '2026-11-28', today: '2026-11-29' })
        .violations,
    ).toEqual([
      expect.objectContaining({ code: 'REQUESTED_DATE_IN_PAST', field: 'requestedShipDate' }),
    ]);
  });

  it.each([['2026-11-29'], ['2026-12-01'], [null]])('passes %s', (date) => {
    expect(
      requestedDateNotPast.check({ requestedShipDate: date, today: '2026-11-29' }).violations,
    ).toEqual([]);
  });
});
