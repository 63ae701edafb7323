import { parseSourceInstant } from './instant.js';

describe(parseSourceInstant.name, () => {
  it('reads ISO 8601 timestamps with Z or an offset', () => {
    expect(parseSourceInstant('2026-05-13T10:15:30.123Z')).toBe(
      Date.parse('2026-05-13T10:15:30.123Z'),
    );
    expect(parseSourceInstant('2026-05-13T12:15:30+02:00')).toBe(
      Date.parse('2026-05-13T10:15:30Z'),
    );
  });

  it('cuts sub-millisecond digits instead of rounding them up', () => {
    expect(parseSourceInstant('2026-05-13T10:15:30.1239999Z')).toBe(
      Date.parse('2026-05-13T10:15:30.123Z'),
    );
  });

  it('refuses timestamps without an offset, impossible dates and non-strings', () => {
    expect(parseSourceInstant('2026-05-13T10:15:30')).toBeUndefined();
    expect(parseSourceInstant('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseSourceInstant('yesterday')).toBeUndefined();
    expect(parseSourceInstant(1747131330000)).toBeUndefined();
  });
});
