import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bookkeeping of the generic delta-sync runner (src/platform/delta-sync): watermarks per
 * `sync:stream`, run records, one change clock per sync, and the change log (the audit trail of
 * every record a sync wrote or removed).
 */
export class DeltaSync1764600000000 implements MigrationInterface {
  name = 'DeltaSync1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_watermark (
        stream text COLLATE "C" PRIMARY KEY,
        feed text NOT NULL,
        modified_at timestamptz NOT NULL,
        source_id text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sync_run (
        id uuid PRIMARY KEY,
        sync text NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('manual','schedule')),
        status text NOT NULL CHECK (status IN ('running','succeeded','failed')),
        feed text NOT NULL,
        "full" boolean NOT NULL DEFAULT false,
        streams jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms integer,
        error text,
        correlation_id text
      )`);
    await q.query(`CREATE INDEX sync_run_list_idx ON sync_run (sync, started_at DESC, id DESC)`);
    await q.query(`CREATE INDEX sync_run_running_idx ON sync_run (sync) WHERE status = 'running'`);
    await q.query(`
      CREATE TABLE sync_change_clock (
        name text PRIMARY KEY,
        seq bigint NOT NULL
      )`);
    await q.query(`
      CREATE TABLE sync_change_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sync text NOT NULL,
        stream text NOT NULL,
        record_key text NOT NULL,
        action text NOT NULL CHECK (action IN ('upsert','delete')),
        source_id text NOT NULL,
        source_modified_at timestamptz NOT NULL,
        record jsonb,
        sync_run_id uuid NOT NULL,
        change_seq bigint NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX sync_change_log_record_idx ON sync_change_log (sync, stream, record_key, id)`,
    );
    await q.query(`CREATE INDEX sync_change_log_run_idx ON sync_change_log (sync_run_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sync_change_log', 'sync_change_clock', 'sync_run', 'sync_watermark']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
