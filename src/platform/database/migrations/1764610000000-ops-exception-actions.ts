import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replay and discard of exception records. `ops_exception_action` is the audit trail: who (channel
 * and API key) did what to which record, why, and with which payload (before, and after a
 * correction), plus the job that carries a replay. `ops_exception.replay_of` links the record of a
 * replay that failed again to the record it replayed.
 */
export class OpsExceptionActions1764610000000 implements MigrationInterface {
  name = 'OpsExceptionActions1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ops_exception
         ADD COLUMN replay_of uuid REFERENCES ops_exception(id) ON DELETE SET NULL`,
    );
    await q.query(
      `CREATE INDEX ops_exception_replay_of_idx ON ops_exception (replay_of)
         WHERE replay_of IS NOT NULL`,
    );
    // Actor columns are copies, not foreign keys: the trail must outlive a deleted channel or key.
    await q.query(`
      CREATE TABLE ops_exception_action (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        exception_id uuid NOT NULL REFERENCES ops_exception(id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('replay','discard')),
        actor_channel_id uuid NOT NULL,
        actor_channel_name text NOT NULL,
        actor_api_key_id uuid NOT NULL,
        actor_key_prefix text,
        reason text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
        payload_before jsonb,
        payload_after jsonb,
        payload_corrected boolean NOT NULL DEFAULT false,
        job_id text,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `CREATE INDEX ops_exception_action_exception_idx
         ON ops_exception_action (exception_id, created_at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ops_exception_action`);
    await q.query(`DROP INDEX ops_exception_replay_of_idx`);
    await q.query(`ALTER TABLE ops_exception DROP COLUMN replay_of`);
  }
}
