import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock the hub gave back after handing it over to the ERP (a posted order cancelled): the ERP
 * still reports it allocated until it has cancelled its order and an inventory sync has read its
 * balances since. Until then it counts against the ERP's allocated figure, so ATP rises at once.
 * `released_at` is when the ERP confirmed the cancel (null: not yet): a sync pass that has read
 * the ERP's balances up to that time drops the row (as it drops pending allocations).
 *
 * allocation_pending becomes the net of pending allocations and pending releases, so it may be
 * negative (the ERP's allocated figure still includes released stock).
 */
export class InventoryPendingRelease1765101200000 implements MigrationInterface {
  name = 'InventoryPendingRelease1765101200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE inv_position DROP CONSTRAINT IF EXISTS inv_position_allocation_pending_check`,
    );
    await q.query(`
      CREATE TABLE inv_pending_release (
        reservation_id uuid NOT NULL REFERENCES inv_reservation (id) ON DELETE CASCADE,
        sku text COLLATE "C" NOT NULL,
        warehouse_code text COLLATE "C" NOT NULL,
        quantity numeric(18,6) NOT NULL CHECK (quantity > 0),
        released_at timestamptz,
        PRIMARY KEY (reservation_id, sku, warehouse_code)
      )`);
    await q.query(`CREATE INDEX inv_pending_release_time_idx ON inv_pending_release (released_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inv_pending_release`);
    await q.query(
      `ALTER TABLE inv_position ADD CONSTRAINT inv_position_allocation_pending_check
         CHECK (allocation_pending >= 0)`,
    );
  }
}
