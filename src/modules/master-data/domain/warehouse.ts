import {
  RecordReader,
  type RecordCheck,
  type RecordProblem,
} from '../../../platform/kernel/index.js';
import { readPostalAddress, type PostalAddress } from './postal-address.js';

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
  const fields = RecordReader.of(input, problems);
  const code = fields.key('code');
  const name = fields.text('name');
  const rawAddress = fields.raw('address');
  const address =
    rawAddress === null || rawAddress === undefined
      ? null
      : readPostalAddress(RecordReader.of(rawAddress, problems, 'address'));
  const active = fields.boolean('active');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { code, name, address, active } };
}
