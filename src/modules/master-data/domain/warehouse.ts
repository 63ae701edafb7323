import { FieldReader } from './field-reader.js';
import { readPostalAddress, type PostalAddress } from './postal-address.js';
import type { RecordCheck, RecordProblem } from './record-problem.js';

/** A stocking location (ERP "location"). */
export interface Warehouse {
  code: string;
  name: string;
  /** Absent for locations the ERP keeps without an address (e.g. in-transit). */
  address: PostalAddress | null;
  active: boolean;
}

export function checkWarehouse(input: unknown): RecordCheck<Warehouse> {
  const problems: RecordProblem[] = [];
  const fields = FieldReader.of(input, problems);
  const code = fields.key('code');
  const name = fields.requiredText('name');
  const rawAddress = fields.raw('address');
  const address =
    rawAddress === null || rawAddress === undefined
      ? null
      : readPostalAddress(FieldReader.of(rawAddress, problems, 'address'));
  const active = fields.boolean('active');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { code, name, address, active } };
}
