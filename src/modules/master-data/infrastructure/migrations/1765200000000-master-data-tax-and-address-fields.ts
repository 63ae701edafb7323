import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Standard ERP fields the hub did not keep: a customer's tax liability, website and own address;
 * an item's GTIN and tax group.
 *
 * Rows synced before this migration do not have them, and a delta sync re-reads only what changed
 * in the ERP. So the customers' and items' watermarks are dropped: the next sync reads every
 * customer and item once, and because each one's fingerprint now covers the new fields, each is
 * rewritten with them. Until then a customer counts as tax liable (orders keep asking for tax
 * attributes, as before).
 */
export class MasterDataTaxAndAddressFields1765200000000 implements MigrationInterface {
  name = 'MasterDataTaxAndAddressFields1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE md_customer
        ADD COLUMN tax_liable boolean NOT NULL DEFAULT true,
        ADD COLUMN website text,
        ADD COLUMN address_lines text[],
        ADD COLUMN city text,
        ADD COLUMN region text,
        ADD COLUMN postal_code text,
        ADD COLUMN country char(2)`);
    // The sync always writes it: no default hides a mapper that forgets it.
    await q.query(`ALTER TABLE md_customer ALTER COLUMN tax_liable DROP DEFAULT`);
    await q.query(`ALTER TABLE md_item ADD COLUMN gtin text, ADD COLUMN tax_group_code text`);
    // Guarded: the sync's bookkeeping may live elsewhere by the time this runs on a database.
    await q.query(`
      DO $$ BEGIN
        IF to_regclass('md_sync_watermark') IS NOT NULL THEN
          DELETE FROM md_sync_watermark WHERE entity IN ('customers', 'items');
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE md_item DROP COLUMN gtin, DROP COLUMN tax_group_code`);
    await q.query(`
      ALTER TABLE md_customer
        DROP COLUMN tax_liable,
        DROP COLUMN website,
        DROP COLUMN address_lines,
        DROP COLUMN city,
        DROP COLUMN region,
        DROP COLUMN postal_code,
        DROP COLUMN country`);
  }
}
