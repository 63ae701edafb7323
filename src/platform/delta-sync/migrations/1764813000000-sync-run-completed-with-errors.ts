import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A run that wrote what it could but refused records says so: `completed_with_errors`. */
export class SyncRunCompletedWithErrors1764813000000 implements MigrationInterface {
  name = 'SyncRunCompletedWithErrors1764813000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`);
    await q.query(
      `ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check
         CHECK (status IN ('running','succeeded','completed_with_errors','failed'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE sync_run SET status = 'succeeded' WHERE status = 'completed_with_errors'`,
    );
    await q.query(`ALTER TABLE sync_run DROP CONSTRAINT sync_run_status_check`);
    await q.query(
      `ALTER TABLE sync_run ADD CONSTRAINT sync_run_status_check
         CHECK (status IN ('running','succeeded','failed'))`,
    );
  }
}
