import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which customers a channel may act for, and API key expiry (rotation with a grace period).
 *
 * - `channel.customer_scope`: `ALL` (the whole customer book: internal channels such as CRM and
 *   operations) or `LISTED` (only the accounts in `channel_customer`, each with its child
 *   accounts in the ERP customer hierarchy).
 * - `channel_customer`: the listed accounts. `customer_id` is the ERP customer number and is not
 *   a foreign key to master data: platform tables know no business module, and a channel may be
 *   bound to an account before the first sync brings it in.
 * - `api_key.expires_at`: when a rotated-out key stops working (null: until revoked).
 *
 * Existing channels keep working: every channel gets `ALL`, the scope they had in effect before.
 * The hub logs a warning at start-up for each external channel (not crm/operations) still on
 * `ALL`, so operations narrows them with `npm run channel:customers` or the admin API.
 */
export class ChannelCustomers1765100000000 implements MigrationInterface {
  name = 'ChannelCustomers1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE channel
         ADD COLUMN customer_scope text NOT NULL DEFAULT 'ALL'
           CHECK (customer_scope IN ('ALL','LISTED'))`,
    );
    // New rows must say which scope they get (ChannelsService always does).
    await q.query(`ALTER TABLE channel ALTER COLUMN customer_scope DROP DEFAULT`);
    await q.query(`
      CREATE TABLE channel_customer (
        channel_id uuid NOT NULL REFERENCES channel(id) ON DELETE CASCADE,
        customer_id text NOT NULL CHECK (length(customer_id) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel_id, customer_id)
      )`);
    await q.query(`ALTER TABLE api_key ADD COLUMN expires_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_key DROP COLUMN expires_at`);
    await q.query(`DROP TABLE channel_customer`);
    await q.query(`ALTER TABLE channel DROP COLUMN customer_scope`);
  }
}
