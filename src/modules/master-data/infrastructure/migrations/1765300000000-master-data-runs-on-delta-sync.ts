import type { MigrationInterface, QueryRunner } from 'typeorm';

const RUNS = 'md_sync_run';
const WATERMARKS = 'md_sync_watermark';
const SYNC = 'master-data';
/** Dedupe keys of refused-record exceptions: master data's own spelling, then the runner's. */
const OLD_KEY = 'sync.record_invalid:';
const NEW_KEY = `sync.record_invalid:${SYNC}:`;

/**
 * The master-data sync runs on the generic delta-sync runner: its runs and watermarks move into
 * sync_run (sync = 'master-data', `entities` becoming `streams`, same ids, so run URLs keep
 * working) and sync_watermark (stream = 'master-data:<kind>', so the next run goes on from where
 * the last one stopped instead of re-reading the whole ERP). Open exceptions for refused records
 * take the runner's dedupe key, so re-reading a still-bad record updates its exception instead of
 * opening a second one. Databases created after this change never had the master-data tables.
 */
export class MasterDataRunsOnDeltaSync1765300000000 implements MigrationInterface {
  name = 'MasterDataRunsOnDeltaSync1765300000000';

  async up(q: QueryRunner): Promise<void> {
    if (await exists(q, RUNS)) {
      await q.query(
        `INSERT INTO sync_run (id, sync, trigger, status, feed, "full", streams, started_at,
           finished_at, duration_ms, error, correlation_id)
         SELECT id, $1, trigger, status, feed, false, entities, started_at, finished_at,
           duration_ms, error, correlation_id
         FROM ${RUNS}
         ON CONFLICT (id) DO NOTHING`,
        [SYNC],
      );
      await q.query(`DROP TABLE ${RUNS}`);
    }
    if (await exists(q, WATERMARKS)) {
      await q.query(
        `INSERT INTO sync_watermark (stream, feed, modified_at, source_id, updated_at)
         SELECT $1 || entity, feed, modified_at, source_id, updated_at FROM ${WATERMARKS}
         ON CONFLICT (stream) DO NOTHING`,
        [`${SYNC}:`],
      );
      await q.query(`DROP TABLE ${WATERMARKS}`);
    }
    await q.query(
      `UPDATE ops_exception SET dedupe_key = $1 || substr(dedupe_key, length($2) + 1)
       WHERE type = 'sync.record_invalid' AND source LIKE $3
         AND dedupe_key LIKE $2 || '%' AND dedupe_key NOT LIKE $1 || '%'`,
      [NEW_KEY, OLD_KEY, `${SYNC}:%`],
    );
  }

  /** Puts the rows back in tables of the old names (their rows and keys, not every constraint). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE ${RUNS} AS
       SELECT id, trigger, status, feed, streams AS entities, started_at, finished_at,
         duration_ms, error, correlation_id
       FROM sync_run WHERE sync = $1`,
      [SYNC],
    );
    await q.query(`ALTER TABLE ${RUNS} ADD PRIMARY KEY (id)`);
    await q.query(`DELETE FROM sync_run WHERE sync = $1`, [SYNC]);
    await q.query(
      `CREATE TABLE ${WATERMARKS} AS
       SELECT substr(stream, length($1) + 1) AS entity, feed, modified_at, source_id, updated_at
       FROM sync_watermark WHERE stream LIKE $1 || '%'`,
      [`${SYNC}:`],
    );
    await q.query(`ALTER TABLE ${WATERMARKS} ADD PRIMARY KEY (entity)`);
    await q.query(`DELETE FROM sync_watermark WHERE stream LIKE $1 || '%'`, [`${SYNC}:`]);
    await q.query(
      `UPDATE ops_exception SET dedupe_key = $2 || substr(dedupe_key, length($1) + 1)
       WHERE type = 'sync.record_invalid' AND dedupe_key LIKE $1 || '%'`,
      [NEW_KEY, OLD_KEY],
    );
  }
}

async function exists(q: QueryRunner, table: string): Promise<boolean> {
  const rows = (await q.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table])) as {
    present: boolean;
  }[];
  return rows[0]?.present === true;
}
