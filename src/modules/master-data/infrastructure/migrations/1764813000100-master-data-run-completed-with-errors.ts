import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A master-data run that refused records says so: `completed_with_errors`. */
export class MasterDataRunCompletedWithErrors1764813000100 implements MigrationInterface {
  name = 'MasterDataRunCompletedWithErrors1764813000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE md_sync_run DROP CONSTRAINT md_sync_run_status_check`);
    await q.query(
      `ALTER TABLE md_sync_run ADD CONSTRAINT md_sync_run_status_check
         CHECK (status IN ('running','succeeded','completed_with_errors','failed'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE md_sync_run SET status = 'succeeded' WHERE status = 'completed_with_errors'`,
    );
    await q.query(`ALTER TABLE md_sync_run DROP CONSTRAINT md_sync_run_status_check`);
    await q.query(
      `ALTER TABLE md_sync_run ADD CONSTRAINT md_sync_run_status_check
         CHECK (status IN ('running','succeeded','failed'))`,
    );
  }
}
