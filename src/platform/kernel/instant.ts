/**
 * ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`), any number of fraction digits.
 * A timestamp without an offset is refused: its meaning depends on a server's time zone.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a source modification time to milliseconds since the epoch. Sub-millisecond digits are
 * cut (never rounded up), so a parsed instant is never later than the source's own value: reading
 * again "from" it can only re-read a record, never skip one.
 */
export function parseSourceInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_INSTANT.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.parse rolls 2024-02-30 over to March: check the day against the month first.
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    return undefined;
  }
  const fraction = (match[7] ?? '').slice(0, 3).padEnd(3, '0');
  const normalised = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.${fraction}${match[8]}`;
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}
