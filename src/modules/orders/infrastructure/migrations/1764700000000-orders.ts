import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders: the captured order with its request, lines (priced, allocated), segments (one ERP
 * sales order each, keyed in the ERP by `external_reference`) and status history.
 *
 * `(channel_id, channel_order_ref)` is unique: the business key that stops a channel from
 * creating the same order twice under two Idempotency-Keys. Money and quantities are `numeric`
 * without a fixed scale: the value keeps the scale it was written with (unit prices 4 decimals,
 * amounts the currency's minor unit, quantities as the channel sent them), so what a channel
 * reads back is exactly what capture answered.
 */
export class Orders1764700000000 implements MigrationInterface {
  name = 'Orders1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE ord_order_number_seq START WITH 1000001`);
    await q.query(`
      CREATE TABLE ord_order (
        id uuid PRIMARY KEY,
        order_number text NOT NULL UNIQUE,
        channel_id uuid NOT NULL REFERENCES channel(id),
        channel_name text NOT NULL,
        channel_kind text NOT NULL,
        channel_order_ref text NOT NULL,
        status text NOT NULL CHECK (status IN
          ('RECEIVED','ACCEPTED','ON_HOLD','POSTING','POSTED','FAILED','CANCELLED')),
        customer_id text NOT NULL,
        credit_account text NOT NULL,
        ship_to jsonb,
        po_number text,
        requested_ship_date date,
        currency char(3) NOT NULL,
        notes text,
        price_version text NOT NULL,
        pricing_date date NOT NULL,
        total numeric NOT NULL,
        holds jsonb NOT NULL DEFAULT '[]',
        adjustments jsonb NOT NULL DEFAULT '[]',
        request jsonb NOT NULL,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        posted_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        CONSTRAINT ord_order_business_key UNIQUE (channel_id, channel_order_ref)
      )`);
    await q.query(
      `CREATE INDEX ord_order_channel_list_idx ON ord_order (channel_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX ord_order_list_idx ON ord_order (created_at DESC, id DESC)`);
    await q.query(`
      CREATE INDEX ord_order_open_credit_idx ON ord_order (credit_account)
        WHERE status IN ('ACCEPTED','ON_HOLD','POSTING','FAILED')`);
    await q.query(`
      CREATE TABLE ord_order_line (
        order_id uuid NOT NULL REFERENCES ord_order(id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        line_ref text NOT NULL,
        sku text NOT NULL,
        quantity numeric NOT NULL CHECK (quantity > 0),
        uom text NOT NULL,
        base_quantity numeric NOT NULL,
        base_uom text NOT NULL,
        expected_unit_price numeric,
        unit_price numeric NOT NULL,
        extended_price numeric NOT NULL,
        price_source text,
        price_trace jsonb NOT NULL DEFAULT '[]',
        fulfillment_type text NOT NULL CHECK (fulfillment_type IN ('STOCK','DROP_SHIP')),
        warehouse_code text,
        supplier_id text,
        segment_no integer NOT NULL,
        reserved_quantity numeric NOT NULL DEFAULT 0,
        backordered_quantity numeric NOT NULL DEFAULT 0,
        PRIMARY KEY (order_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE ord_segment (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES ord_order(id) ON DELETE CASCADE,
        segment_no integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('STOCK','DROP_SHIP')),
        warehouse_code text,
        supplier_id text,
        external_reference text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('HELD','QUEUED','POSTING','SUBMITTED','POSTED',
          'FAILED','CANCEL_REQUESTED','CANCELLED')),
        document jsonb NOT NULL,
        erp_order_number text,
        erp_errors jsonb NOT NULL DEFAULT '[]',
        attempts integer NOT NULL DEFAULT 0,
        submitted_at timestamptz,
        posted_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (order_id, segment_no)
      )`);
    await q.query(`
      CREATE TABLE ord_order_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES ord_order(id) ON DELETE CASCADE,
        status text NOT NULL,
        detail jsonb,
        correlation_id text,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX ord_order_history_order_idx ON ord_order_history (order_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ord_order_history`);
    await q.query(`DROP TABLE ord_segment`);
    await q.query(`DROP TABLE ord_order_line`);
    await q.query(`DROP TABLE ord_order`);
    await q.query(`DROP SEQUENCE ord_order_number_seq`);
  }
}
