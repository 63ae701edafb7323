import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables this migration adds (updated_at trigger and delta index each, as in the schema). */
export const TAX_GROUP_TABLES: { table: string; key: string[] }[] = [
  { table: 'tx_tax_group', key: ['tax_group_code'] },
];

/**
 * Sales-tax groups and the customer's website. `tx_tax_group` is the ERP's tax category of an
 * item (with the ship-to's tax area it decides the rate, as BC's Tax Group does); `in_item`
 * names its group in `tax_group_code` (NULL = none set; `tax_class` stays the coarse
 * TAXABLE/EXEMPT flag). `ar_customer.website` completes the customer card's contact data.
 * Existing rows get NULLs: the demo loader fills them on a fresh database.
 */
export class ErpTaxGroupsAndWebsite1796700000000 implements MigrationInterface {
  name = 'ErpTaxGroupsAndWebsite1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tx_tax_group (
        tax_group_code varchar(20) PRIMARY KEY,
        description varchar(100) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      CREATE TRIGGER tx_tax_group_touch BEFORE INSERT OR UPDATE ON tx_tax_group
        FOR EACH ROW EXECUTE FUNCTION erp_touch_updated_at()`);
    await q.query(
      `CREATE INDEX tx_tax_group_delta_idx ON tx_tax_group (updated_at, tax_group_code)`,
    );
    await q.query(
      `ALTER TABLE in_item ADD COLUMN tax_group_code varchar(20) REFERENCES tx_tax_group`,
    );
    await q.query(`ALTER TABLE ar_customer ADD COLUMN website varchar(100)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ar_customer DROP COLUMN website`);
    await q.query(`ALTER TABLE in_item DROP COLUMN tax_group_code`);
    await q.query(`DROP TABLE tx_tax_group`);
  }
}
