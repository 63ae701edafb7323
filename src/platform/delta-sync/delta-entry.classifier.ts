import { createHash } from 'node:crypto';
import { parseSourceInstant } from '../kernel/index.js';
import type {
  AcceptedChange,
  AcceptedDeletion,
  DeltaStream,
  RecordProblem,
} from './delta-sync.types.js';

export type { AcceptedChange, AcceptedDeletion };

export interface DeltaPosition {
  modifiedAt: Date;
  sourceId: string;
}

/** An entry the hub refuses: it becomes an exception for a data steward. */
export interface RefusedEntry {
  sourceId: string | null;
  modifiedAt: Date | null;
  reason: string;
  problems: RecordProblem[];
  /** What the adapter delivered (its source row, or the canonical record that failed a rule). */
  payload: unknown;
}

export interface ClassifiedPage<T> {
  changes: AcceptedChange<T>[];
  deletions: AcceptedDeletion[];
  refused: RefusedEntry[];
  /** Source ids on the page the hub accepted or refused (a full pass keeps those records). */
  seen: string[];
  /** The greatest (modifiedAt, sourceId) on the page, refused entries included. */
  highest: DeltaPosition | null;
  /** True when an entry is older than one before it: the feed breaks the ordering rule. */
  outOfOrder: boolean;
}

/** Ordinal (code-unit) order, as the ports specify for sourceId tie-breaks. */
export function compareDeltaPositions(a: DeltaPosition, b: DeltaPosition): number {
  const byTime = a.modifiedAt.getTime() - b.modifiedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
}

/** Stable JSON (sorted object keys), so a hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function contentHash(record: unknown): string {
  return createHash('sha256').update(canonicalJson(record)).digest('base64url').slice(0, 22);
}

export function describeProblems(problems: RecordProblem[]): string {
  const listed = problems.map((p) => `${p.field}: ${p.message} [${p.code}]`).join('; ');
  return `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${listed}`;
}

/**
 * Sorts a feed page into changes to write, deletions to apply and entries to refuse. Nothing an
 * adapter returns is trusted: entries are checked for shape, timestamps parsed, canonical records
 * re-validated by the stream's check.
 */
export function classifyDeltaEntries<T>(
  stream: Pick<DeltaStream<T>, 'check'>,
  entries: readonly unknown[],
  previous: DeltaPosition | null,
): ClassifiedPage<T> {
  const page: ClassifiedPage<T> = {
    changes: [],
    deletions: [],
    refused: [],
    seen: [],
    highest: null,
    outOfOrder: false,
  };
  let running = previous;
  for (const entry of entries) {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const sourceId = typeof e.sourceId === 'string' && e.sourceId !== '' ? e.sourceId : null;
    const ms = parseSourceInstant(e.modifiedAt);
    const modifiedAt = ms === undefined ? null : new Date(ms);
    if (sourceId !== null && modifiedAt !== null) {
      const position = { modifiedAt, sourceId };
      if (running && modifiedAt.getTime() < running.modifiedAt.getTime()) page.outOfOrder = true;
      if (!running || compareDeltaPositions(position, running) > 0) running = position;
      if (!page.highest || compareDeltaPositions(position, page.highest) > 0) {
        page.highest = position;
      }
    }
    const refuse = (reason: string, problems: RecordProblem[], payload: unknown): void => {
      page.refused.push({ sourceId, modifiedAt, reason, problems, payload });
    };
    if (sourceId === null) {
      refuse('The feed entry has no sourceId.', [], entry);
      continue;
    }
    page.seen.push(sourceId);
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
    if (e.deleted === true) {
      page.deletions.push({ sourceId, modifiedAt });
      continue;
    }
    const checked = stream.check(e.record);
    if (!checked.ok) {
      refuse(describeProblems(checked.problems), checked.problems, e.record ?? null);
      continue;
    }
    page.changes.push({
      sourceId,
      modifiedAt,
      record: checked.value,
      contentHash: contentHash(checked.value),
    });
  }
  return page;
}
