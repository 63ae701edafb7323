import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables this migration adds (updated_at trigger and delta index each, as in the schema). */
export const CUSTOMER_IMPORT_TABLES: { table: string; key: string[] }[] = [
  { table: 'ar_customer_import', key: ['import_id'] },
];

/**
 * The customer-update staging table of the reference ERP: the integration writes a row per
 * change (`change_id` unique, so a repeated write is recognised), the ERP's import job applies it
 * to ar_customer / ar_ship_to or marks it ERROR with the reason, as it does for sales orders.
 * Like the other staging tables it takes whatever is written (no foreign keys).
 */
export class ErpCustomerImport1796600000000 implements MigrationInterface {
  name = 'ErpCustomerImport1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ar_customer_import (
        import_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        change_id varchar(64) NOT NULL,
        source_system varchar(30) NOT NULL DEFAULT 'CROSSDOCK',
        customer_no varchar(20) NOT NULL,
        ship_to_code varchar(10),
        changes jsonb NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW','IMPORTED','ERROR')),
        error_text text,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ar_customer_import_change_id_key UNIQUE (change_id),
        CHECK (jsonb_typeof(changes) = 'object')
      )`);
    await q.query(
      `CREATE INDEX ar_customer_import_status_idx ON ar_customer_import (status, import_id)`,
    );
    await q.query(`
      CREATE TRIGGER ar_customer_import_touch BEFORE INSERT OR UPDATE ON ar_customer_import
        FOR EACH ROW EXECUTE FUNCTION erp_touch_updated_at()`);
    await q.query(
      `CREATE INDEX ar_customer_import_delta_idx ON ar_customer_import (updated_at, import_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ar_customer_import`);
  }
}
