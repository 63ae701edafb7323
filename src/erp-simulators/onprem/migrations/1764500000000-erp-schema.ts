import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every table this migration creates, in creation order. Each gets `updated_at`, the ERP-side
 * trigger that maintains it, and an index on (updated_at, primary key) for delta reads. (Later
 * migrations add theirs; ERP_SCHEMA_TABLES in ./index.ts lists them all.)
 */
export const ERP_SCHEMA_TABLES: { table: string; key: string[] }[] = [
  { table: 'sy_deleted_row', key: ['deleted_id'] },
  { table: 'sy_currency', key: ['currency_code'] },
  { table: 'ar_terms', key: ['terms_code'] },
  { table: 'tx_tax_area', key: ['tax_area_code'] },
  { table: 'in_uom', key: ['uom_code'] },
  { table: 'in_warehouse', key: ['warehouse_code'] },
  { table: 'ap_supplier', key: ['supplier_no'] },
  { table: 'in_item_group', key: ['item_group_code'] },
  { table: 'in_item', key: ['item_no'] },
  { table: 'in_item_uom', key: ['item_no', 'uom_code'] },
  { table: 'in_item_substitute', key: ['item_no', 'substitute_item_no'] },
  { table: 'ar_customer', key: ['customer_no'] },
  { table: 'ar_ship_to', key: ['customer_no', 'ship_to_code'] },
  { table: 'pr_price_list', key: ['price_list_code'] },
  { table: 'pr_price_list_line', key: ['price_list_code', 'item_no', 'uom_code'] },
  { table: 'pr_price_break', key: ['price_list_code', 'item_no', 'uom_code', 'min_qty'] },
  { table: 'pr_contract', key: ['contract_no'] },
  { table: 'pr_promotion', key: ['promotion_code'] },
  { table: 'pr_promotion_scope', key: ['promotion_code', 'scope_no'] },
  { table: 'in_balance', key: ['item_no', 'warehouse_code', 'lot_no'] },
  { table: 'so_import_header', key: ['import_id'] },
  { table: 'so_import_line', key: ['import_id', 'line_no'] },
  { table: 'so_order_header', key: ['order_no'] },
  { table: 'so_order_line', key: ['order_no', 'line_no'] },
];

/** Tables whose deletes are journalled in sy_deleted_row (master data and prices). */
const DELETE_JOURNALLED = [
  'ap_supplier',
  'in_item',
  'in_item_uom',
  'in_item_substitute',
  'ar_customer',
  'ar_ship_to',
  'pr_price_list',
  'pr_price_list_line',
  'pr_price_break',
  'pr_contract',
  'pr_promotion',
  'pr_promotion_scope',
  'in_balance',
];

const UPDATED_AT = `updated_at timestamptz NOT NULL DEFAULT clock_timestamp()`;
const ADDRESS = `
  address_line1 varchar(100),
  address_line2 varchar(100),
  city varchar(50),
  state varchar(30),
  postal_code varchar(20),
  country_code varchar(2)`;

/** The reference schema of the on-prem distribution ERP (its own database, its own migrations). */
export class ErpSchema1764500000000 implements MigrationInterface {
  name = 'ErpSchema1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // clock_timestamp(), not now(): rows written by one long transaction get distinct stamps.
    await q.query(`
      CREATE FUNCTION erp_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := clock_timestamp();
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TABLE sy_deleted_row (
        deleted_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        table_name varchar(63) NOT NULL,
        old_row jsonb NOT NULL,
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE FUNCTION erp_journal_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sy_deleted_row (table_name, old_row) VALUES (TG_TABLE_NAME, to_jsonb(OLD) - 'updated_at');
        RETURN OLD;
      END
      $$`);

    await q.query(`
      CREATE TABLE sy_currency (
        currency_code varchar(3) PRIMARY KEY,
        description varchar(50) NOT NULL,
        symbol varchar(5),
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE TABLE ar_terms (
        terms_code varchar(10) PRIMARY KEY,
        description varchar(50) NOT NULL,
        due_days integer NOT NULL CHECK (due_days >= 0),
        discount_days integer NOT NULL DEFAULT 0 CHECK (discount_days >= 0),
        discount_percent numeric(7,4) NOT NULL DEFAULT 0,
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE TABLE tx_tax_area (
        tax_area_code varchar(10) PRIMARY KEY,
        description varchar(50) NOT NULL,
        country_code varchar(2) NOT NULL,
        rate_percent numeric(7,4) NOT NULL,
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE TABLE in_uom (
        uom_code varchar(10) PRIMARY KEY,
        description varchar(50) NOT NULL,
        unece_code varchar(3),
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE TABLE in_warehouse (
        warehouse_code varchar(10) PRIMARY KEY,
        name varchar(100) NOT NULL,
        ${ADDRESS},
        phone varchar(30),
        email varchar(100),
        status varchar(10) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','INACTIVE')),
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE TABLE ap_supplier (
        supplier_no varchar(20) PRIMARY KEY,
        name varchar(100) NOT NULL,
        ${ADDRESS},
        phone varchar(30),
        email varchar(100),
        currency_code varchar(3) NOT NULL REFERENCES sy_currency,
        terms_code varchar(10) NOT NULL REFERENCES ar_terms,
        drop_ship boolean NOT NULL DEFAULT false,
        lead_time_days integer,
        status varchar(10) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','INACTIVE')),
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE TABLE in_item_group (
        item_group_code varchar(20) PRIMARY KEY,
        description varchar(100) NOT NULL,
        ${UPDATED_AT}
      )`);
    await q.query(`
      CREATE TABLE in_item (
        item_no varchar(20) PRIMARY KEY,
        description varchar(100) NOT NULL,
        item_group_code varchar(20) NOT NULL REFERENCES in_item_group,
        base_uom_code varchar(10) NOT NULL REFERENCES in_uom,
        status varchar(12) NOT NULL DEFAULT 'ACTIVE'
          CHECK (status IN ('ACTIVE','DISCONTINUED','BLOCKED')),
        fulfillment_type varchar(10) NOT NULL DEFAULT 'STOCK'
          CHECK (fulfillment_type IN ('STOCK','DROP_SHIP')),
        supplier_no varchar(20) REFERENCES ap_supplier,
        lot_controlled boolean NOT NULL DEFAULT false,
        gtin varchar(14),
        unit_cost numeric(19,4) NOT NULL DEFAULT 0,
        weight_kg numeric(12,3),
        tax_class varchar(10) NOT NULL DEFAULT 'TAXABLE' CHECK (tax_class IN ('TAXABLE','EXEMPT')),
        ${UPDATED_AT},
        CONSTRAINT in_item_drop_ship_supplier_chk
          CHECK (fulfillment_type <> 'DROP_SHIP' OR supplier_no IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX in_item_group_idx ON in_item (item_group_code)`);
    await q.query(`
      CREATE TABLE in_item_uom (
        item_no varchar(20) NOT NULL REFERENCES in_item ON DELETE CASCADE,
        uom_code varchar(10) NOT NULL REFERENCES in_uom,
        conversion_factor numeric(18,6) NOT NULL CHECK (conversion_factor > 0),
        is_base boolean NOT NULL DEFAULT false,
        ${UPDATED_AT},
        PRIMARY KEY (item_no, uom_code),
        CONSTRAINT in_item_uom_base_factor_chk CHECK (NOT is_base OR conversion_factor = 1)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX in_item_uom_one_base_idx ON in_item_uom (item_no) WHERE is_base`,
    );
    await q.query(`
      CREATE TABLE in_item_substitute (
        item_no varchar(20) NOT NULL REFERENCES in_item ON DELETE CASCADE,
        substitute_item_no varchar(20) NOT NULL REFERENCES in_item,
        priority smallint NOT NULL DEFAULT 1,
        ${UPDATED_AT},
        PRIMARY KEY (item_no, substitute_item_no),
        CHECK (item_no <> substitute_item_no)
      )`);
    await q.query(`
      CREATE TABLE ar_customer (
        customer_no varchar(20) PRIMARY KEY,
        name varchar(100) NOT NULL,
        parent_customer_no varchar(20) REFERENCES ar_customer,
        status varchar(10) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','INACTIVE','BLOCKED')),
        credit_limit numeric(19,4) NOT NULL DEFAULT 0,
        balance_due numeric(19,4) NOT NULL DEFAULT 0,
        terms_code varchar(10) NOT NULL REFERENCES ar_terms,
        currency_code varchar(3) NOT NULL REFERENCES sy_currency,
        tax_area_code varchar(10) REFERENCES tx_tax_area,
        tax_exempt_no varchar(30),
        tax_liable boolean NOT NULL DEFAULT true,
        tax_registration_no varchar(30),
        ${ADDRESS},
        phone varchar(30),
        email varchar(100),
        salesperson_code varchar(10),
        price_list_code varchar(20),
        default_warehouse_code varchar(10) REFERENCES in_warehouse,
        ${UPDATED_AT},
        CHECK (parent_customer_no IS NULL OR parent_customer_no <> customer_no)
      )`);
    await q.query(`CREATE INDEX ar_customer_parent_idx ON ar_customer (parent_customer_no)`);
    await q.query(`
      CREATE TABLE ar_ship_to (
        customer_no varchar(20) NOT NULL REFERENCES ar_customer ON DELETE CASCADE,
        ship_to_code varchar(10) NOT NULL,
        name varchar(100) NOT NULL,
        contact varchar(100),
        phone varchar(30),
        ${ADDRESS},
        tax_area_code varchar(10) REFERENCES tx_tax_area,
        tax_exempt_no varchar(30),
        warehouse_code varchar(10) REFERENCES in_warehouse,
        is_default boolean NOT NULL DEFAULT false,
        status varchar(10) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','INACTIVE')),
        ${UPDATED_AT},
        PRIMARY KEY (customer_no, ship_to_code)
      )`);
    await q.query(`
      CREATE TABLE pr_price_list (
        price_list_code varchar(20) PRIMARY KEY,
        description varchar(100) NOT NULL,
        list_type varchar(10) NOT NULL CHECK (list_type IN ('BASE','CUSTOMER')),
        currency_code varchar(3) NOT NULL REFERENCES sy_currency,
        customer_no varchar(20) REFERENCES ar_customer,
        valid_from date NOT NULL,
        valid_to date,
        ${UPDATED_AT},
        CHECK ((list_type = 'CUSTOMER') = (customer_no IS NOT NULL)),
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    // Customers and their price lists reference each other: checked at commit.
    await q.query(`
      ALTER TABLE ar_customer ADD CONSTRAINT ar_customer_price_list_fk
        FOREIGN KEY (price_list_code) REFERENCES pr_price_list DEFERRABLE INITIALLY DEFERRED`);
    await q.query(`
      CREATE TABLE pr_price_list_line (
        price_list_code varchar(20) NOT NULL REFERENCES pr_price_list ON DELETE CASCADE,
        item_no varchar(20) NOT NULL,
        uom_code varchar(10) NOT NULL,
        unit_price numeric(19,4) NOT NULL CHECK (unit_price >= 0),
        ${UPDATED_AT},
        PRIMARY KEY (price_list_code, item_no, uom_code),
        FOREIGN KEY (item_no, uom_code) REFERENCES in_item_uom ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX pr_price_list_line_item_idx ON pr_price_list_line (item_no)`);
    await q.query(`
      CREATE TABLE pr_price_break (
        price_list_code varchar(20) NOT NULL,
        item_no varchar(20) NOT NULL,
        uom_code varchar(10) NOT NULL,
        min_qty numeric(18,6) NOT NULL CHECK (min_qty > 0),
        unit_price numeric(19,4) NOT NULL CHECK (unit_price >= 0),
        ${UPDATED_AT},
        PRIMARY KEY (price_list_code, item_no, uom_code, min_qty),
        FOREIGN KEY (price_list_code, item_no, uom_code)
          REFERENCES pr_price_list_line ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE pr_contract (
        contract_no varchar(20) PRIMARY KEY,
        description varchar(100) NOT NULL,
        customer_no varchar(20) NOT NULL REFERENCES ar_customer,
        item_no varchar(20) REFERENCES in_item,
        item_group_code varchar(20) REFERENCES in_item_group,
        price_type varchar(12) NOT NULL CHECK (price_type IN ('FIXED','PERCENT_OFF')),
        fixed_price numeric(19,4) CHECK (fixed_price >= 0),
        uom_code varchar(10) REFERENCES in_uom,
        currency_code varchar(3) NOT NULL REFERENCES sy_currency,
        discount_percent numeric(7,4) CHECK (discount_percent > 0 AND discount_percent <= 100),
        min_qty numeric(18,6) CHECK (min_qty > 0),
        valid_from date NOT NULL,
        valid_to date,
        ${UPDATED_AT},
        CHECK ((item_no IS NULL) <> (item_group_code IS NULL)),
        CHECK (price_type <> 'FIXED'
          OR (item_no IS NOT NULL AND fixed_price IS NOT NULL AND uom_code IS NOT NULL)),
        CHECK (price_type <> 'PERCENT_OFF' OR discount_percent IS NOT NULL),
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`CREATE INDEX pr_contract_customer_idx ON pr_contract (customer_no)`);
    await q.query(`
      CREATE TABLE pr_promotion (
        promotion_code varchar(20) PRIMARY KEY,
        description varchar(200) NOT NULL,
        discount_type varchar(12) NOT NULL CHECK (discount_type IN ('PERCENT_OFF','AMOUNT_OFF')),
        discount_percent numeric(7,4),
        discount_amount numeric(19,4),
        currency_code varchar(3) REFERENCES sy_currency,
        min_qty numeric(18,6) CHECK (min_qty > 0),
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','INACTIVE')),
        ${UPDATED_AT},
        CHECK (discount_type <> 'PERCENT_OFF' OR discount_percent IS NOT NULL),
        CHECK (discount_type <> 'AMOUNT_OFF' OR (discount_amount IS NOT NULL AND currency_code IS NOT NULL)),
        CHECK (valid_to >= valid_from)
      )`);
    await q.query(`
      CREATE TABLE pr_promotion_scope (
        promotion_code varchar(20) NOT NULL REFERENCES pr_promotion ON DELETE CASCADE,
        scope_no integer NOT NULL,
        scope_type varchar(10) NOT NULL CHECK (scope_type IN ('ITEM','ITEM_GROUP','CUSTOMER')),
        item_no varchar(20) REFERENCES in_item,
        item_group_code varchar(20) REFERENCES in_item_group,
        customer_no varchar(20) REFERENCES ar_customer,
        ${UPDATED_AT},
        PRIMARY KEY (promotion_code, scope_no),
        CHECK (num_nonnulls(item_no, item_group_code, customer_no) = 1),
        CHECK (scope_type <> 'ITEM' OR item_no IS NOT NULL),
        CHECK (scope_type <> 'ITEM_GROUP' OR item_group_code IS NOT NULL),
        CHECK (scope_type <> 'CUSTOMER' OR customer_no IS NOT NULL)
      )`);
    await q.query(`
      CREATE TABLE in_balance (
        item_no varchar(20) NOT NULL REFERENCES in_item,
        warehouse_code varchar(10) NOT NULL REFERENCES in_warehouse,
        lot_no varchar(30) NOT NULL DEFAULT '',
        expiry_date date,
        on_hand_qty numeric(18,6) NOT NULL DEFAULT 0,
        allocated_qty numeric(18,6) NOT NULL DEFAULT 0 CHECK (allocated_qty >= 0),
        available_qty numeric(18,6) GENERATED ALWAYS AS (on_hand_qty - allocated_qty) STORED,
        ${UPDATED_AT},
        PRIMARY KEY (item_no, warehouse_code, lot_no)
      )`);

    await q.query(`CREATE SEQUENCE so_order_no_seq START WITH 100001`);
    // Staging tables take whatever the integration writes (no foreign keys): the import
    // processor validates and reports problems in error_text, as on-prem ERPs do.
    await q.query(`
      CREATE TABLE so_import_header (
        import_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        external_reference varchar(64) NOT NULL,
        source_system varchar(30) NOT NULL DEFAULT 'CROSSDOCK',
        customer_no varchar(20) NOT NULL,
        ship_to_code varchar(10),
        ship_to_name varchar(100),
        ship_to_address_line1 varchar(100),
        ship_to_address_line2 varchar(100),
        ship_to_city varchar(50),
        ship_to_state varchar(30),
        ship_to_postal_code varchar(20),
        ship_to_country_code varchar(2),
        customer_po varchar(35),
        order_date date NOT NULL DEFAULT current_date,
        requested_date date,
        currency_code varchar(3),
        warehouse_code varchar(10),
        comments text,
        status varchar(12) NOT NULL DEFAULT 'NEW'
          CHECK (status IN ('NEW','PROCESSING','IMPORTED','ERROR')),
        error_text text,
        erp_order_no varchar(20),
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        ${UPDATED_AT},
        CONSTRAINT so_import_header_external_reference_key UNIQUE (external_reference)
      )`);
    await q.query(
      `CREATE INDEX so_import_header_status_idx ON so_import_header (status, import_id)`,
    );
    await q.query(`
      CREATE TABLE so_import_line (
        import_id bigint NOT NULL REFERENCES so_import_header ON DELETE CASCADE,
        line_no integer NOT NULL CHECK (line_no > 0),
        item_no varchar(20) NOT NULL,
        uom_code varchar(10),
        quantity numeric(18,6) NOT NULL,
        unit_price numeric(19,4),
        warehouse_code varchar(10),
        external_line_reference varchar(64),
        ${UPDATED_AT},
        PRIMARY KEY (import_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE so_order_header (
        order_no varchar(20) PRIMARY KEY,
        external_reference varchar(64) UNIQUE,
        import_id bigint REFERENCES so_import_header,
        customer_no varchar(20) NOT NULL REFERENCES ar_customer,
        ship_to_code varchar(10),
        ship_to_name varchar(100),
        ${ADDRESS},
        customer_po varchar(35),
        order_date date NOT NULL,
        requested_date date,
        currency_code varchar(3) NOT NULL REFERENCES sy_currency,
        warehouse_code varchar(10) REFERENCES in_warehouse,
        status varchar(12) NOT NULL DEFAULT 'OPEN'
          CHECK (status IN ('OPEN','RELEASED','SHIPPED','INVOICED','CANCELLED')),
        total_amount numeric(19,4) NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        ${UPDATED_AT}
      )`);
    await q.query(`CREATE INDEX so_order_header_customer_idx ON so_order_header (customer_no)`);
    await q.query(`
      CREATE TABLE so_order_line (
        order_no varchar(20) NOT NULL REFERENCES so_order_header ON DELETE CASCADE,
        line_no integer NOT NULL,
        item_no varchar(20) NOT NULL REFERENCES in_item,
        uom_code varchar(10) NOT NULL REFERENCES in_uom,
        quantity numeric(18,6) NOT NULL CHECK (quantity > 0),
        conversion_factor numeric(18,6) NOT NULL,
        base_quantity numeric(18,6) NOT NULL,
        unit_price numeric(19,4) NOT NULL,
        line_amount numeric(19,4) NOT NULL,
        warehouse_code varchar(10) REFERENCES in_warehouse,
        fulfillment_type varchar(10) NOT NULL CHECK (fulfillment_type IN ('STOCK','DROP_SHIP')),
        supplier_no varchar(20) REFERENCES ap_supplier,
        shipped_qty numeric(18,6) NOT NULL DEFAULT 0,
        status varchar(10) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','SHIPPED','CANCELLED')),
        external_line_reference varchar(64),
        ${UPDATED_AT},
        PRIMARY KEY (order_no, line_no)
      )`);

    for (const { table, key } of ERP_SCHEMA_TABLES) {
      await q.query(
        `CREATE TRIGGER ${table}_touch BEFORE INSERT OR UPDATE ON ${table}
           FOR EACH ROW EXECUTE FUNCTION erp_touch_updated_at()`,
      );
      await q.query(`CREATE INDEX ${table}_delta_idx ON ${table} (updated_at, ${key.join(', ')})`);
    }
    for (const table of DELETE_JOURNALLED) {
      await q.query(
        `CREATE TRIGGER ${table}_journal_delete AFTER DELETE ON ${table}
           FOR EACH ROW EXECUTE FUNCTION erp_journal_delete()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of [...ERP_SCHEMA_TABLES].reverse()) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS so_order_no_seq`);
    await q.query(`DROP FUNCTION IF EXISTS erp_journal_delete()`);
    await q.query(`DROP FUNCTION IF EXISTS erp_touch_updated_at()`);
  }
}
