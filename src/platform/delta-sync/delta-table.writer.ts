import type { EntityManager } from 'typeorm';
import type { AcceptedChange, AcceptedDeletion, DeltaTable } from './delta-sync.types.js';

/**
 * The bookkeeping columns of every delta table, for a module's migration:
 * `CREATE TABLE x (<business columns>, ${DELTA_TABLE_BOOKKEEPING_DDL}, PRIMARY KEY (...))`, plus an
 * index on (change_seq) for readers that follow the table by change sequence, and on source_id.
 */
export const DELTA_TABLE_BOOKKEEPING_DDL = `
  source_id text NOT NULL,
  source_modified_at timestamptz NOT NULL,
  content_hash text NOT NULL,
  synced_at timestamptz NOT NULL,
  change_seq bigint NOT NULL,
  deleted boolean NOT NULL DEFAULT false`;

export interface WriteContext {
  manager: EntityManager;
  sync: string;
  stream: string;
  runId: string;
  changeSeq: string;
}

const BOOKKEEPING_IN: [string, string][] = [
  ['source_id', 'text'],
  ['source_modified_at', 'timestamptz'],
  ['content_hash', 'text'],
];

const recordKeySql = (table: DeltaTable<unknown>, alias: string): string =>
  `concat_ws('|', ${table.keyColumns.map((c) => `${alias}.${c}::text`).join(', ')})`;

/**
 * Takes the next value of a sync's change clock, inside the writing transaction. The UPDATE holds
 * the clock row's lock until commit, so writers take values strictly in commit order: once a
 * reader has seen rows with change_seq N, every row with a lower value is already visible. That
 * is what lets a cache follow the tables by change_seq without ever skipping a row.
 */
export async function nextChangeSeq(manager: EntityManager, sync: string): Promise<string> {
  const rows = (await manager.query(
    `INSERT INTO sync_change_clock AS c (name, seq) VALUES ($1, 1)
     ON CONFLICT (name) DO UPDATE SET seq = c.seq + 1
     RETURNING seq::text AS seq`,
    [sync],
  )) as { seq: string }[];
  return rows[0].seq;
}

/**
 * Inserts new records and updates changed ones, logging each write in sync_change_log; returns how
 * many were written. A row is left alone when its content and source id are unchanged (and it is
 * not deleted), or when the hub already holds a newer version of the same source record. (Times
 * are only compared within one source id: after an adapter switch the new source's clock says
 * nothing about the old one's, and its version must win.)
 */
export async function upsertDeltaRecords<T>(
  table: DeltaTable<T>,
  changes: AcceptedChange<T>[],
  ctx: WriteContext,
): Promise<number> {
  if (changes.length === 0) return 0;
  const columns = table.columns.map(([c]) => c);
  const incoming = [...table.columns, ...BOOKKEEPING_IN, ['record', 'jsonb']]
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
  const written = [...columns, 'source_id', 'source_modified_at', 'content_hash'];
  const updates = written
    .filter((c) => !table.keyColumns.includes(c))
    .concat('synced_at', 'change_seq', 'deleted')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  const join = table.keyColumns.map((c) => `w.${c} = i.${c}`).join(' AND ');
  const rows = (await ctx.manager.query(
    `WITH incoming AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${incoming})
     ), written AS (
       INSERT INTO ${table.name} AS t (${written.join(', ')}, synced_at, change_seq, deleted)
       SELECT ${written.map((c) => `i.${c}`).join(', ')}, now(), $2::bigint, false FROM incoming i
       ON CONFLICT (${table.keyColumns.join(', ')}) DO UPDATE SET ${updates}
       WHERE (t.content_hash IS DISTINCT FROM EXCLUDED.content_hash
              OR t.source_id IS DISTINCT FROM EXCLUDED.source_id
              OR t.deleted)
         AND (t.source_id IS DISTINCT FROM EXCLUDED.source_id
              OR t.source_modified_at <= EXCLUDED.source_modified_at)
       RETURNING ${table.keyColumns.map((c) => `t.${c}`).join(', ')}
     )
     INSERT INTO sync_change_log
       (sync, stream, record_key, action, source_id, source_modified_at, record, sync_run_id, change_seq)
     SELECT $3, $4, ${recordKeySql(table as DeltaTable<unknown>, 'w')}, 'upsert', i.source_id,
            i.source_modified_at, i.record, $5::uuid, $2::bigint
     FROM written w JOIN incoming i ON ${join}
     RETURNING 1`,
    [
      JSON.stringify(
        changes.map((c) => ({
          ...table.toRow(c.record),
          source_id: c.sourceId,
          source_modified_at: c.modifiedAt.toISOString(),
          content_hash: c.contentHash,
          record: c.record,
        })),
      ),
      ctx.changeSeq,
      ctx.sync,
      ctx.stream,
      ctx.runId,
    ],
  )) as unknown[];
  return rows.length;
}

/**
 * Marks the records of the deleted source rows deleted (tombstones keep their change_seq, so
 * caches following the table see the delete). A deletion older than the hub's version of the
 * record (the source row was re-created since) is ignored.
 */
export async function deleteDeltaRecords(
  table: DeltaTable<unknown>,
  deletions: AcceptedDeletion[],
  ctx: WriteContext,
): Promise<number> {
  if (deletions.length === 0) return 0;
  const rows = (await ctx.manager.query(
    `WITH gone AS (
       UPDATE ${table.name} AS t
       SET deleted = true, synced_at = now(), change_seq = $2::bigint
       FROM jsonb_to_recordset($1::jsonb) AS d(source_id text, modified_at timestamptz)
       WHERE t.source_id = d.source_id AND NOT t.deleted AND t.source_modified_at <= d.modified_at
       RETURNING t.*
     )
     INSERT INTO sync_change_log
       (sync, stream, record_key, action, source_id, source_modified_at, record, sync_run_id, change_seq)
     SELECT $3, $4, ${recordKeySql(table, 'g')}, 'delete', g.source_id, g.source_modified_at, NULL,
            $5::uuid, $2::bigint
     FROM gone g
     RETURNING 1`,
    [
      JSON.stringify(
        deletions.map((d) => ({ source_id: d.sourceId, modified_at: d.modifiedAt.toISOString() })),
      ),
      ctx.changeSeq,
      ctx.sync,
      ctx.stream,
      ctx.runId,
    ],
  )) as unknown[];
  return rows.length;
}

/**
 * After a complete pass from the beginning: every record whose source id the pass did not return
 * is gone from the source (feeds that cannot report deletions rely on this).
 */
export async function sweepUnseenRecords(
  table: DeltaTable<unknown>,
  seenSourceIds: string[],
  ctx: WriteContext,
): Promise<number> {
  const rows = (await ctx.manager.query(
    `WITH gone AS (
       UPDATE ${table.name} AS t
       SET deleted = true, synced_at = now(), change_seq = $2::bigint
       WHERE NOT t.deleted AND NOT (t.source_id = ANY($1::text[]))
       RETURNING t.*
     )
     INSERT INTO sync_change_log
       (sync, stream, record_key, action, source_id, source_modified_at, record, sync_run_id, change_seq)
     SELECT $3, $4, ${recordKeySql(table, 'g')}, 'delete', g.source_id, g.source_modified_at, NULL,
            $5::uuid, $2::bigint
     FROM gone g
     RETURNING 1`,
    [seenSourceIds, ctx.changeSeq, ctx.sync, ctx.stream, ctx.runId],
  )) as unknown[];
  return rows.length;
}

/**
 * One version per source id (the latest on the page; a deletion wins a tie), then one per
 * business key: a page can hold a record twice (changed while the feed was paging), and one
 * INSERT … ON CONFLICT cannot touch a row twice.
 */
export function collapsePage<T>(
  keyOf: (record: T) => string,
  changes: AcceptedChange<T>[],
  deletions: AcceptedDeletion[],
): { changes: AcceptedChange<T>[]; deletions: AcceptedDeletion[] } {
  const bySource = new Map<string, AcceptedChange<T> | AcceptedDeletion>();
  for (const entry of [...changes, ...deletions].sort(
    (a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime(),
  )) {
    bySource.set(entry.sourceId, entry);
  }
  const byKey = new Map<string, AcceptedChange<T>>();
  const outDeletions: AcceptedDeletion[] = [];
  for (const entry of bySource.values()) {
    if (!('record' in entry)) {
      outDeletions.push(entry);
      continue;
    }
    const key = keyOf(entry.record);
    const seen = byKey.get(key);
    if (!seen || seen.modifiedAt.getTime() <= entry.modifiedAt.getTime()) byKey.set(key, entry);
  }
  return { changes: [...byKey.values()], deletions: outDeletions };
}
