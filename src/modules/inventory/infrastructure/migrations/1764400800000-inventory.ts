import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventory: positions (item × warehouse) with their lots, the stock events applied to them, the
 * hub's reservations, channel availability rules and the hub's copy of the ERP balances.
 *
 * Codes are `COLLATE "C"` so that rows lock in the same (byte-wise) order as the application
 * sorts them. Quantities are numeric(18,6) in the item's base UoM, like the ERP's.
 */
export class Inventory1764400800000 implements MigrationInterface {
  name = 'Inventory1764400800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inv_position (
        sku text COLLATE "C" NOT NULL,
        warehouse_code text COLLATE "C" NOT NULL,
        on_hand numeric(18,6) NOT NULL DEFAULT 0,
        allocated numeric(18,6) NOT NULL DEFAULT 0,
        allocation_pending numeric(18,6) NOT NULL DEFAULT 0 CHECK (allocation_pending >= 0),
        reserved numeric(18,6) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        safety_stock numeric(18,6) NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
        stock_event_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (sku, warehouse_code)
      )`);
    await q.query(`
      CREATE TABLE inv_lot (
        sku text COLLATE "C" NOT NULL,
        warehouse_code text COLLATE "C" NOT NULL,
        lot_no text COLLATE "C" NOT NULL DEFAULT '',
        expiry_date date,
        on_hand numeric(18,6) NOT NULL DEFAULT 0,
        allocated numeric(18,6) NOT NULL DEFAULT 0,
        snapshot_at timestamptz,
        snapshot_event_id text COLLATE "C",
        allocated_at timestamptz,
        stock_event_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (sku, warehouse_code, lot_no),
        FOREIGN KEY (sku, warehouse_code) REFERENCES inv_position (sku, warehouse_code),
        CHECK ((snapshot_at IS NULL) = (snapshot_event_id IS NULL))
      )`);
    await q.query(`
      CREATE TABLE inv_stock_event (
        event_id text COLLATE "C" PRIMARY KEY,
        sku text COLLATE "C" NOT NULL,
        warehouse_code text COLLATE "C" NOT NULL,
        lot_no text COLLATE "C" NOT NULL,
        type text NOT NULL CHECK (type IN ('SNAPSHOT','ADJUSTMENT')),
        quantity numeric(18,6) NOT NULL,
        occurred_at timestamptz NOT NULL,
        source text NOT NULL,
        channel_id uuid,
        fingerprint text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('APPLIED','IGNORED')),
        reason text,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        correlation_id text
      )`);
    // Adjustments after a snapshot are added back onto it (see StockEventsApplier).
    await q.query(`
      CREATE INDEX inv_stock_event_adjustment_idx
        ON inv_stock_event (sku, warehouse_code, lot_no, occurred_at, event_id)
        WHERE type = 'ADJUSTMENT' AND outcome = 'APPLIED'`);
    await q.query(`CREATE INDEX inv_stock_event_retention_idx ON inv_stock_event (occurred_at)`);

    await q.query(`
      CREATE TABLE inv_reservation (
        id uuid PRIMARY KEY,
        order_id text COLLATE "C" NOT NULL,
        channel_id uuid,
        status text NOT NULL CHECK (status IN ('ACTIVE','RELEASED','EXPIRED','HANDED_OVER')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        closed_at timestamptz,
        close_reason text,
        correlation_id text
      )`);
    await q.query(
      `CREATE UNIQUE INDEX inv_reservation_active_order_uq ON inv_reservation (order_id)
         WHERE status = 'ACTIVE'`,
    );
    await q.query(
      `CREATE INDEX inv_reservation_order_idx ON inv_reservation (order_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX inv_reservation_expiry_idx ON inv_reservation (expires_at)
         WHERE status = 'ACTIVE'`,
    );
    await q.query(`
      CREATE TABLE inv_reservation_line (
        reservation_id uuid NOT NULL REFERENCES inv_reservation (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        sku text COLLATE "C" NOT NULL,
        warehouse_code text COLLATE "C" NOT NULL,
        quantity numeric(18,6) NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (reservation_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE inv_pending_allocation (
        reservation_id uuid NOT NULL REFERENCES inv_reservation (id) ON DELETE CASCADE,
        sku text COLLATE "C" NOT NULL,
        warehouse_code text COLLATE "C" NOT NULL,
        quantity numeric(18,6) NOT NULL CHECK (quantity > 0),
        allocated_at timestamptz NOT NULL,
        PRIMARY KEY (reservation_id, sku, warehouse_code)
      )`);
    await q.query(
      `CREATE INDEX inv_pending_allocation_time_idx ON inv_pending_allocation (allocated_at)`,
    );

    await q.query(`
      CREATE TABLE inv_channel_rule (
        channel_id uuid PRIMARY KEY REFERENCES channel (id) ON DELETE CASCADE,
        warehouses text[],
        buffer_type text NOT NULL CHECK (buffer_type IN ('NONE','UNITS','PERCENT')),
        buffer_value numeric(18,6) NOT NULL CHECK (buffer_value >= 0),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // The hub's copy of the ERP's balances, kept by the generic delta-sync runner
    // (src/platform/delta-sync): business columns, then its bookkeeping columns.
    await q.query(`
      CREATE TABLE inv_erp_balance (
        sku text COLLATE "C" NOT NULL,
        warehouse_code text COLLATE "C" NOT NULL,
        lot_no text COLLATE "C" NOT NULL,
        expiry_date date,
        on_hand numeric(18,6) NOT NULL,
        allocated numeric(18,6) NOT NULL,
        source_id text NOT NULL,
        source_modified_at timestamptz NOT NULL,
        content_hash text NOT NULL,
        synced_at timestamptz NOT NULL,
        change_seq bigint NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (sku, warehouse_code, lot_no)
      )`);
    await q.query(`CREATE INDEX inv_erp_balance_change_idx ON inv_erp_balance (change_seq)`);
    await q.query(`CREATE INDEX inv_erp_balance_source_idx ON inv_erp_balance (source_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'inv_erp_balance',
      'inv_channel_rule',
      'inv_pending_allocation',
      'inv_reservation_line',
      'inv_reservation',
      'inv_stock_event',
      'inv_lot',
      'inv_position',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
