import { checkCustomer } from '../../../domain/customer.js';
import { parseInstant } from '../../../domain/instant.js';
import { checkItem } from '../../../domain/item.js';
import type { MasterDataKind } from '../../../domain/master-data-kind.js';
import type { RecordCheck, RecordProblem } from '../../../domain/record-problem.js';
import { checkWarehouse } from '../../../domain/warehouse.js';
import type { MasterDataRecordOf } from '../../../infrastructure/master-data-page.store.js';
import type { RecordToWrite } from '../../../infrastructure/record-to-write.js';
import { sourceHash } from '../../../infrastructure/source-hash.js';

const CHECKS: { [K in MasterDataKind]: (input: unknown) => RecordCheck<MasterDataRecordOf<K>> } = {
  customers: checkCustomer,
  items: checkItem,
  warehouses: checkWarehouse,
};

export interface FeedPosition {
  modifiedAt: Date;
  sourceId: string;
}

/** A record the hub refuses: it becomes an exception for a data steward. */
export interface RefusedEntry {
  sourceId: string | null;
  modifiedAt: Date | null;
  reason: string;
  problems: RecordProblem[];
  /** What the adapter delivered (its source row, or the canonical record that failed a rule). */
  payload: unknown;
}

export interface ClassifiedPage<K extends MasterDataKind> {
  valid: RecordToWrite<MasterDataRecordOf<K>>[];
  refused: RefusedEntry[];
  /** The greatest (modifiedAt, sourceId) on the page, refused records included. */
  highest: FeedPosition | null;
  /** True when a record is older than one before it: the feed breaks the ordering rule. */
  outOfOrder: boolean;
}

/** Ordinal (code-unit) order, as the port specifies for sourceId tie-breaks. */
export function comparePositions(a: FeedPosition, b: FeedPosition): number {
  const byTime = a.modifiedAt.getTime() - b.modifiedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
}

/**
 * Sorts a feed page into records to write and records to refuse. Nothing an adapter returns is
 * trusted: entries are checked for shape, timestamps parsed, canonical records re-validated.
 */
export function classifyEntries<K extends MasterDataKind>(
  kind: K,
  entries: readonly unknown[],
  previous: FeedPosition | null,
): ClassifiedPage<K> {
  const check = CHECKS[kind] as (input: unknown) => RecordCheck<MasterDataRecordOf<K>>;
  const page: ClassifiedPage<K> = { valid: [], refused: [], highest: null, outOfOrder: false };
  let running = previous;
  for (const entry of entries) {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const sourceId = typeof e.sourceId === 'string' && e.sourceId !== '' ? e.sourceId : null;
    const ms = parseInstant(e.modifiedAt);
    const modifiedAt = ms === undefined ? null : new Date(ms);
    if (sourceId !== null && modifiedAt !== null) {
      const position = { modifiedAt, sourceId };
      if (running && modifiedAt.getTime() < running.modifiedAt.getTime()) page.outOfOrder = true;
      if (!running || comparePositions(position, running) > 0) running = position;
      if (!page.highest || comparePositions(position, page.highest) > 0) page.highest = position;
    }
    const refuse = (reason: string, problems: RecordProblem[], payload: unknown): void => {
      page.refused.push({ sourceId, modifiedAt, reason, problems, payload });
    };
    if (sourceId === null) {
      refuse('The feed entry has no sourceId.', [], entry);
      continue;
    }
    const invalid = e.invalid as { reason?: unknown; payload?: unknown } | undefined;
    if (invalid !== undefined && invalid !== null) {
      const reason =
        typeof invalid.reason === 'string' && invalid.reason.trim() !== ''
          ? invalid.reason
          : 'The ERP adapter could not map this record.';
      refuse(reason, [], invalid.payload ?? null);
      continue;
    }
    if (modifiedAt === null) {
      refuse(
        `modifiedAt ${JSON.stringify(e.modifiedAt)} is not an ISO 8601 timestamp with an offset.`,
        [
          {
            code: 'INVALID_TIMESTAMP',
            field: 'modifiedAt',
            message: 'must be ISO 8601 with offset',
          },
        ],
        e.record ?? null,
      );
      continue;
    }
    const checked = check(e.record);
    if (!checked.ok) {
      refuse(describeProblems(checked.problems), checked.problems, e.record ?? null);
      continue;
    }
    page.valid.push({
      sourceId,
      modifiedAt,
      record: checked.value,
      hash: sourceHash(sourceId, checked.value),
    });
  }
  return page;
}

export function describeProblems(problems: RecordProblem[]): string {
  const listed = problems.map((p) => `${p.field}: ${p.message} [${p.code}]`).join('; ');
  return `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${listed}`;
}
