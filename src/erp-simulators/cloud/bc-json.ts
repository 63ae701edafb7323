/**
 * JSON as OData v4 writes it: Edm.Decimal values are JSON numbers by default, or strings when
 * the client sends `Accept: application/json;IEEE754Compatible=true` (OData JSON format §3.2).
 * The sandbox keeps decimals as exact strings and writes them as raw number tokens, so no value
 * ever goes through a float on this side.
 */
export class BcDecimal {
  constructor(readonly text: string) {}
}

export type BcJsonValue =
  string | number | boolean | null | BcDecimal | BcJsonValue[] | { [key: string]: BcJsonValue };

const MARK = '\u0000dec:';
const MARKED = /"\\u0000dec:(-?\d+(?:\.\d+)?)"/g;

export function serializeBcJson(value: unknown, ieee754Compatible: boolean): string {
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof BcDecimal) return ieee754Compatible ? v.text : `${MARK}${v.text}`;
    return v;
  });
  return ieee754Compatible ? json : json.replace(MARKED, '$1');
}

/** True when the Accept header asks for decimals as strings. */
export function wantsIeee754Compatible(accept: string | undefined): boolean {
  return /ieee754compatible\s*=\s*true/i.test(accept ?? '');
}
