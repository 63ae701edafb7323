import type { CustomerAddress } from '../../../modules/master-data/index.js';
import type { DeltaEntry, DeltaInvalidRecord } from '../../../platform/delta-sync/index.js';

/** `''`, whitespace and null all mean "not set" in ERP data; the canonical model says null. */
export function textOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** Street lines without the blank ones (ERPs keep fixed columns, canonical addresses a list). */
export function addressLines(...lines: unknown[]): string[] {
  return lines.map(textOrNull).filter((line): line is string => line !== null);
}

/** The parts of an address as ERPs keep them: two street columns, city, state, postcode, country. */
export interface AddressColumns {
  line1: unknown;
  line2: unknown;
  city: unknown;
  state: unknown;
  postalCode: unknown;
  country: unknown;
}

/** A customer's own address: whatever parts the ERP keeps; none at all is no address (null). */
export function customerAddress(columns: AddressColumns): CustomerAddress | null {
  const address: CustomerAddress = {
    addressLines: addressLines(columns.line1, columns.line2),
    city: textOrNull(columns.city),
    region: textOrNull(columns.state),
    postalCode: textOrNull(columns.postalCode),
    country: textOrNull(columns.country),
  };
  const { addressLines: lines, ...parts } = address;
  return lines.length === 0 && Object.values(parts).every((p) => p === null) ? null : address;
}

/** The canonical value of an ERP code, or undefined when the ERP sent one we do not know. */
export function mapEnum<T extends string | boolean>(
  value: unknown,
  table: Record<string, T>,
): T | undefined {
  return typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;
}

/** Thrown by a mapping step when a source row cannot be expressed canonically (rule 6). */
export class UnmappableRecordError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnmappableRecordError';
  }
}

/**
 * Maps one source record, turning an UnmappableRecordError into the port's invalid entry with
 * the source data as payload: a row that cannot be mapped is reported, never dropped.
 */
export function mapOrReport<T>(
  sourceId: string,
  modifiedAt: string,
  payload: unknown,
  map: () => T,
): DeltaEntry<T> {
  try {
    return { sourceId, modifiedAt, record: map() };
  } catch (error) {
    if (!(error instanceof UnmappableRecordError)) throw error;
    const invalid: DeltaInvalidRecord = {
      sourceId,
      modifiedAt,
      invalid: { reason: error.message, payload: jsonSafe(payload) },
    };
    return invalid;
  }
}

function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
