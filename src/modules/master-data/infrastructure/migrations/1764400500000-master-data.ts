import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's copy of ERP master data.
 *
 * Keys are `COLLATE "C"` so that keyset paging orders them byte-wise, the same in every database
 * locale. Every master-data row carries `change_seq`: the value of md_change_clock taken by the
 * transaction that last wrote it (see MasterDataSyncWriter for why that makes change feeds safe).
 */
export class MasterData1764400500000 implements MigrationInterface {
  name = 'MasterData1764400500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE md_change_clock (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL
      )`);
    await q.query(`INSERT INTO md_change_clock (id, seq) VALUES (1, 0)`);

    await q.query(`
      CREATE TABLE md_customer (
        erp_id text COLLATE "C" PRIMARY KEY,
        source_id text NOT NULL,
        name text NOT NULL,
        parent_erp_id text COLLATE "C",
        status text NOT NULL CHECK (status IN ('ACTIVE','INACTIVE','BLOCKED')),
        credit_limit numeric(19,4) CHECK (credit_limit >= 0),
        balance_due numeric(19,4) NOT NULL,
        payment_terms text,
        currency char(3) NOT NULL,
        tax_area_code text,
        tax_exemption_number text,
        email text,
        phone text,
        source_modified_at timestamptz NOT NULL,
        source_hash text NOT NULL,
        synced_at timestamptz NOT NULL,
        change_seq bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX md_customer_parent_idx ON md_customer (parent_erp_id)`);
    await q.query(`CREATE INDEX md_customer_changes_idx ON md_customer (change_seq, erp_id)`);
    await q.query(`
      CREATE TABLE md_ship_to (
        customer_erp_id text COLLATE "C" NOT NULL REFERENCES md_customer(erp_id) ON DELETE CASCADE,
        code text COLLATE "C" NOT NULL,
        position integer NOT NULL,
        name text NOT NULL,
        address_lines text[] NOT NULL,
        city text NOT NULL,
        region text,
        postal_code text,
        country char(2) NOT NULL,
        default_warehouse_code text,
        tax_area_code text,
        PRIMARY KEY (customer_erp_id, code)
      )`);

    await q.query(`
      CREATE TABLE md_item (
        sku text COLLATE "C" PRIMARY KEY,
        source_id text NOT NULL,
        description text NOT NULL,
        base_uom text NOT NULL,
        item_group text,
        status text NOT NULL CHECK (status IN ('ACTIVE','DISCONTINUED','BLOCKED')),
        fulfillment_type text NOT NULL CHECK (fulfillment_type IN ('STOCK','DROP_SHIP')),
        supplier_id text,
        lot_controlled boolean NOT NULL,
        substitutes text[] NOT NULL DEFAULT '{}',
        source_modified_at timestamptz NOT NULL,
        source_hash text NOT NULL,
        synced_at timestamptz NOT NULL,
        change_seq bigint NOT NULL,
        CHECK (fulfillment_type <> 'DROP_SHIP' OR supplier_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX md_item_changes_idx ON md_item (change_seq, sku)`);
    await q.query(`CREATE INDEX md_item_synced_idx ON md_item (synced_at)`);
    await q.query(`
      CREATE TABLE md_item_uom (
        sku text COLLATE "C" NOT NULL REFERENCES md_item(sku) ON DELETE CASCADE,
        uom text NOT NULL,
        position integer NOT NULL,
        factor numeric NOT NULL CHECK (factor > 0),
        PRIMARY KEY (sku, uom)
      )`);

    await q.query(`
      CREATE TABLE md_warehouse (
        code text COLLATE "C" PRIMARY KEY,
        source_id text NOT NULL,
        name text NOT NULL,
        address_lines text[],
        city text,
        region text,
        postal_code text,
        country char(2),
        active boolean NOT NULL,
        source_modified_at timestamptz NOT NULL,
        source_hash text NOT NULL,
        synced_at timestamptz NOT NULL,
        change_seq bigint NOT NULL
      )`);
    // The sync's watermarks and runs live in the delta-sync tables (sync_watermark, sync_run):
    // see 1765300000000-master-data-runs-on-delta-sync.
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'md_sync_run',
      'md_sync_watermark',
      'md_warehouse',
      'md_item_uom',
      'md_item',
      'md_ship_to',
      'md_customer',
      'md_change_clock',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
