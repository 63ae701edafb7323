import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order's life after posting (issue 14): shipping statuses, per-line quantities that must
 * clear (ordered ≥ shipped + cancelled, shipped ≥ invoiced, all in the ordered UoM: the database
 * refuses what the domain should never write), who changed the order (source + actor on every
 * history entry), and the posting lease (a claim with an expiry instead of a row lock held over
 * the ERP call).
 */
export class OrderFulfillment1765400000000 implements MigrationInterface {
  name = 'OrderFulfillment1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ord_order DROP CONSTRAINT IF EXISTS ord_order_status_check`);
    await q.query(`
      ALTER TABLE ord_order ADD CONSTRAINT ord_order_status_check CHECK (status IN
        ('RECEIVED','ACCEPTED','ON_HOLD','POSTING','POSTED','PARTIALLY_SHIPPED','SHIPPED',
         'INVOICED','FAILED','CANCELLED'))`);
    await q.query(`
      ALTER TABLE ord_order_line
        ADD COLUMN shipped_quantity numeric NOT NULL DEFAULT 0,
        ADD COLUMN cancelled_quantity numeric NOT NULL DEFAULT 0,
        ADD COLUMN invoiced_quantity numeric NOT NULL DEFAULT 0,
        ADD CONSTRAINT ord_order_line_quantities_clear CHECK (
          shipped_quantity >= 0 AND cancelled_quantity >= 0 AND invoiced_quantity >= 0
          AND quantity >= shipped_quantity + cancelled_quantity
          AND shipped_quantity >= invoiced_quantity)`);
    await q.query(`
      ALTER TABLE ord_order_history
        ADD COLUMN source text NOT NULL DEFAULT 'hub',
        ADD COLUMN actor text`);
    await q.query(`
      ALTER TABLE ord_segment
        ADD COLUMN lease_id uuid,
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN erp_state text,
        ADD COLUMN erp_modified_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ord_segment DROP COLUMN lease_id, DROP COLUMN lease_expires_at,
        DROP COLUMN erp_state, DROP COLUMN erp_modified_at`);
    await q.query(`ALTER TABLE ord_order_history DROP COLUMN source, DROP COLUMN actor`);
    await q.query(`
      ALTER TABLE ord_order_line DROP CONSTRAINT ord_order_line_quantities_clear,
        DROP COLUMN shipped_quantity, DROP COLUMN cancelled_quantity, DROP COLUMN invoiced_quantity`);
    await q.query(`ALTER TABLE ord_order DROP CONSTRAINT ord_order_status_check`);
    await q.query(`
      ALTER TABLE ord_order ADD CONSTRAINT ord_order_status_check CHECK (status IN
        ('RECEIVED','ACCEPTED','ON_HOLD','POSTING','POSTED','FAILED','CANCELLED'))`);
  }
}
