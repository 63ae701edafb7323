import { parseInstant } from './instant.js';

describe(parseInstant.name, () => {
  it('reads ISO 8601 timestamps with Z or an offset', () => {
    expect(parseInstant('2026-05-13T10:15:30.123Z')).toBe(Date.parse('2026-05-13T10:15:30.123Z'));
    expect(parseInstant('2026-05-13T12:15:30+02:00')).toBe(Date.parse('2026-05-13T10:15:30Z'));
  });

  it('cuts sub-millisecond digits instead of rounding them up', () => {
    expect(parseInstant('2026-05-13T10:15:30.1239999Z')).toBe(
      Date.parse('2026-05-13T10:15:30.123Z'),
    );
  });

  it('refuses timestamps without an offset, impossible dates and non-strings', () => {
    expect(parseInstant('2026-05-13T10:15:30')).toBeUndefined();
    expect(parseInstant('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseInstant('yesterday')).toBeUndefined();
    expect(parseInstant(1747131330000)).toBeUndefined();
  });
});
