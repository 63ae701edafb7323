import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables this migration adds (updated_at trigger and delta index each, as in the schema). */
export const FULFILLMENT_TABLES: { table: string; key: string[] }[] = [
  { table: 'sh_shipment_import_header', key: ['import_id'] },
  { table: 'sh_shipment_import_line', key: ['import_id', 'line_no'] },
  { table: 'sh_shipment_header', key: ['shipment_no'] },
  { table: 'sh_shipment_line', key: ['shipment_no', 'line_no'] },
  { table: 'ar_invoice_header', key: ['invoice_no'] },
  { table: 'ar_invoice_line', key: ['invoice_no', 'line_no'] },
];

const UPDATED_AT = `updated_at timestamptz NOT NULL DEFAULT clock_timestamp()`;

/**
 * Fulfillment in the reference ERP: posted sales shipments and invoices, the shipment import
 * staging tables (shipments a WMS/3PL or a drop-ship supplier confirmed, posted by the hub), the
 * order line's invoiced quantity, and who last changed an order.
 *
 * Posted documents are never deleted (ERPs reverse them with new documents), so they are not
 * delete-journalled; order lines are, because an ERP user may remove one and the hub must see
 * it (SalesOrderChangeFeed rule 3).
 */
export class ErpFulfillment1796800000000 implements MigrationInterface {
  name = 'ErpFulfillment1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE so_order_line ADD COLUMN invoiced_qty numeric(18,6) NOT NULL DEFAULT 0`,
    );
    // The ERP user (or job) that last changed the order or one of its lines.
    await q.query(`ALTER TABLE so_order_header ADD COLUMN changed_by varchar(30)`);
    await q.query(`
      CREATE TRIGGER so_order_line_journal_delete AFTER DELETE ON so_order_line
        FOR EACH ROW EXECUTE FUNCTION erp_journal_delete()`);

    await q.query(`CREATE SEQUENCE sh_shipment_no_seq START WITH 500001`);
    await q.query(`CREATE SEQUENCE ar_invoice_no_seq START WITH 700001`);

    // Staging, like so_import_*: no foreign keys, the import job validates.
    await q.query(`
      CREATE TABLE sh_shipment_import_header (
        import_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        shipment_reference varchar(35) NOT NULL,
        source_system varchar(30) NOT NULL DEFAULT 'CROSSDOCK',
        order_no varchar(20),
        external_reference varchar(64),
        ship_date date NOT NULL,
        shipping_agent_code varchar(20),
        shipping_service_code varchar(30),
        tracking_numbers text[] NOT NULL DEFAULT '{}',
        tracking_url varchar(250),
        status varchar(12) NOT NULL DEFAULT 'NEW'
          CHECK (status IN ('NEW','PROCESSING','IMPORTED','ERROR')),
        error_text text,
        erp_shipment_no varchar(20),
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        ${UPDATED_AT},
        CONSTRAINT sh_shipment_import_header_reference_key UNIQUE (shipment_reference)
      )`);
    await q.query(
      `CREATE INDEX sh_shipment_import_header_status_idx ON sh_shipment_import_header (status, import_id)`,
    );
    await q.query(`
      CREATE TABLE sh_shipment_import_line (
        import_id bigint NOT NULL REFERENCES sh_shipment_import_header ON DELETE CASCADE,
        line_no integer NOT NULL CHECK (line_no > 0),
        order_line_no integer NOT NULL,
        item_no varchar(20),
        uom_code varchar(10),
        quantity numeric(18,6) NOT NULL,
        lot_no varchar(30),
        serial_nos text[] NOT NULL DEFAULT '{}',
        ${UPDATED_AT},
        PRIMARY KEY (import_id, line_no)
      )`);

    await q.query(`
      CREATE TABLE sh_shipment_header (
        shipment_no varchar(20) PRIMARY KEY,
        order_no varchar(20) NOT NULL REFERENCES so_order_header,
        external_reference varchar(64),
        customer_no varchar(20) NOT NULL REFERENCES ar_customer,
        ship_date date NOT NULL,
        warehouse_code varchar(10) REFERENCES in_warehouse,
        supplier_no varchar(20) REFERENCES ap_supplier,
        shipping_agent_code varchar(20),
        shipping_service_code varchar(30),
        tracking_numbers text[] NOT NULL DEFAULT '{}',
        tracking_url varchar(250),
        hub_shipment_reference varchar(35) UNIQUE,
        import_id bigint REFERENCES sh_shipment_import_header,
        posted_by varchar(30) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ${UPDATED_AT}
      )`);
    await q.query(`CREATE INDEX sh_shipment_header_order_idx ON sh_shipment_header (order_no)`);
    await q.query(`
      CREATE TABLE sh_shipment_line (
        shipment_no varchar(20) NOT NULL REFERENCES sh_shipment_header ON DELETE CASCADE,
        line_no integer NOT NULL,
        order_line_no integer NOT NULL,
        item_no varchar(20) NOT NULL REFERENCES in_item,
        uom_code varchar(10) NOT NULL REFERENCES in_uom,
        quantity numeric(18,6) NOT NULL CHECK (quantity > 0),
        base_quantity numeric(18,6) NOT NULL,
        lot_no varchar(30),
        serial_nos text[] NOT NULL DEFAULT '{}',
        ${UPDATED_AT},
        PRIMARY KEY (shipment_no, line_no)
      )`);

    await q.query(`
      CREATE TABLE ar_invoice_header (
        invoice_no varchar(20) PRIMARY KEY,
        order_no varchar(20) REFERENCES so_order_header,
        external_reference varchar(64),
        customer_no varchar(20) NOT NULL REFERENCES ar_customer,
        invoice_date date NOT NULL,
        due_date date,
        currency_code varchar(3) NOT NULL REFERENCES sy_currency,
        amount_excl_tax numeric(19,4) NOT NULL,
        tax_amount numeric(19,4) NOT NULL,
        amount_incl_tax numeric(19,4) NOT NULL,
        remaining_amount numeric(19,4) NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','PAID','CANCELLED')),
        posted_by varchar(30) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ${UPDATED_AT}
      )`);
    await q.query(`CREATE INDEX ar_invoice_header_order_idx ON ar_invoice_header (order_no)`);
    await q.query(`
      CREATE TABLE ar_invoice_line (
        invoice_no varchar(20) NOT NULL REFERENCES ar_invoice_header ON DELETE CASCADE,
        line_no integer NOT NULL,
        order_line_no integer,
        item_no varchar(20) NOT NULL REFERENCES in_item,
        uom_code varchar(10) NOT NULL REFERENCES in_uom,
        quantity numeric(18,6) NOT NULL,
        unit_price numeric(19,4) NOT NULL,
        line_amount numeric(19,4) NOT NULL,
        tax_amount numeric(19,4) NOT NULL,
        ${UPDATED_AT},
        PRIMARY KEY (invoice_no, line_no)
      )`);

    for (const { table, key } of FULFILLMENT_TABLES) {
      await q.query(
        `CREATE TRIGGER ${table}_touch BEFORE INSERT OR UPDATE ON ${table}
           FOR EACH ROW EXECUTE FUNCTION erp_touch_updated_at()`,
      );
      await q.query(`CREATE INDEX ${table}_delta_idx ON ${table} (updated_at, ${key.join(', ')})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of [...FULFILLMENT_TABLES].reverse()) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS ar_invoice_no_seq`);
    await q.query(`DROP SEQUENCE IF EXISTS sh_shipment_no_seq`);
    await q.query(`DROP TRIGGER IF EXISTS so_order_line_journal_delete ON so_order_line`);
    await q.query(`ALTER TABLE so_order_header DROP COLUMN changed_by`);
    await q.query(`ALTER TABLE so_order_line DROP COLUMN invoiced_qty`);
  }
}
