import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DELTA_TABLE_BOOKKEEPING_DDL } from '../../../../platform/delta-sync/index.js';

/**
 * The hub's copy of the ERP's price data (written only by the pricing sync, through the
 * delta-sync runner: every row carries the runner's bookkeeping columns, deletes are tombstones)
 * and the quotes the engine issued (kept until they expire, so order capture can verify them).
 * Keys are `COLLATE "C"`: ordinal, like the ERP keys they copy.
 */
export class Pricing1764600100000 implements MigrationInterface {
  name = 'Pricing1764600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pr_price_list (
        code text COLLATE "C" PRIMARY KEY,
        description text NOT NULL,
        list_type text NOT NULL CHECK (list_type IN ('BASE','CUSTOMER')),
        currency char(3) NOT NULL,
        customer_id text COLLATE "C",
        valid_from date NOT NULL,
        valid_to date,
        active boolean NOT NULL,
        ${DELTA_TABLE_BOOKKEEPING_DDL}
      )`);
    await q.query(`
      CREATE TABLE pr_price_list_entry (
        price_list_code text COLLATE "C" NOT NULL,
        sku text COLLATE "C" NOT NULL,
        uom text COLLATE "C" NOT NULL,
        min_qty numeric NOT NULL CHECK (min_qty >= 0),
        unit_price numeric(19,4) NOT NULL CHECK (unit_price >= 0),
        ${DELTA_TABLE_BOOKKEEPING_DDL},
        PRIMARY KEY (price_list_code, sku, uom, min_qty)
      )`);
    await q.query(`
      CREATE TABLE pr_contract (
        contract_no text COLLATE "C" PRIMARY KEY,
        description text NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        sku text COLLATE "C",
        item_group text COLLATE "C",
        price_type text NOT NULL CHECK (price_type IN ('FIXED','PERCENT_OFF')),
        fixed_price numeric(19,4) CHECK (fixed_price >= 0),
        uom text COLLATE "C",
        currency char(3) NOT NULL,
        discount_percent numeric(7,4) CHECK (discount_percent > 0 AND discount_percent <= 100),
        min_qty numeric CHECK (min_qty >= 0),
        valid_from date NOT NULL,
        valid_to date,
        ${DELTA_TABLE_BOOKKEEPING_DDL},
        CHECK ((sku IS NULL) <> (item_group IS NULL))
      )`);
    await q.query(`
      CREATE TABLE pr_promotion (
        code text COLLATE "C" PRIMARY KEY,
        description text NOT NULL,
        discount_type text NOT NULL CHECK (discount_type IN ('PERCENT_OFF','AMOUNT_OFF','FIXED_PRICE')),
        discount_percent numeric(7,4),
        discount_amount numeric(19,4),
        fixed_price numeric(19,4),
        currency char(3),
        min_qty numeric CHECK (min_qty >= 0),
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        active boolean NOT NULL,
        requires_code boolean NOT NULL,
        stackable boolean NOT NULL,
        priority integer NOT NULL,
        items text[] NOT NULL,
        item_groups text[] NOT NULL,
        customers text[] NOT NULL,
        channels text[] NOT NULL,
        ${DELTA_TABLE_BOOKKEEPING_DDL}
      )`);
    for (const table of ['pr_price_list', 'pr_price_list_entry', 'pr_contract', 'pr_promotion']) {
      await q.query(`CREATE INDEX ${table}_changes_idx ON ${table} (change_seq)`);
      await q.query(`CREATE INDEX ${table}_source_idx ON ${table} (source_id)`);
    }
    await q.query(`
      CREATE TABLE pr_quote (
        id uuid PRIMARY KEY,
        channel_id uuid,
        customer_id text NOT NULL,
        ship_to_id text,
        currency char(3) NOT NULL,
        pricing_date date NOT NULL,
        price_version text NOT NULL,
        lines jsonb NOT NULL,
        promotion_codes jsonb NOT NULL,
        totals jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX pr_quote_expires_idx ON pr_quote (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'pr_quote',
      'pr_promotion',
      'pr_contract',
      'pr_price_list_entry',
      'pr_price_list',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
