/**
 * One reason a master-data record cannot be accepted. `field` is a dotted/indexed path into the
 * canonical record (`shipTos[1].country`), so a data steward knows what to fix in the ERP.
 */
export interface RecordProblem {
  code: string;
  field: string;
  message: string;
}

/** The outcome of checking a record: the normalised record, or every problem found in it. */
export type RecordCheck<T> = { ok: true; value: T } | { ok: false; problems: RecordProblem[] };
