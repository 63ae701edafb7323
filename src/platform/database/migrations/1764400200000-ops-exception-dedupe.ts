import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exception records get a dedupe key: a failure reported twice (a dead-letter job delivered again
 * after a crash, a sync that keeps failing on the same row) updates the one open record instead of
 * adding another. Also an index for the newest-first keyset paging of GET /v1/ops/exceptions.
 */
export class OpsExceptionDedupe1764400200000 implements MigrationInterface {
  name = 'OpsExceptionDedupe1764400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ops_exception ADD COLUMN dedupe_key text`);
    await q.query(
      `CREATE UNIQUE INDEX ops_exception_open_dedupe_uq ON ops_exception (dedupe_key)
         WHERE status = 'open' AND dedupe_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ops_exception_created_idx ON ops_exception (created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ops_exception_created_idx`);
    await q.query(`DROP INDEX ops_exception_open_dedupe_uq`);
    await q.query(`ALTER TABLE ops_exception DROP COLUMN dedupe_key`);
  }
}
