import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shipments and invoices (issue 14).
 *
 * A shipment comes from the ERP (its posted shipment), a WMS/3PL or a drop-ship supplier (a
 * confirmation over the API). `(source, source_key, source_document_id)` is unique: the source
 * document id makes a confirmation idempotent per confirming channel (source_key = the channel
 * id; `erp` for the ERP's own). A WMS/supplier shipment is posted to the ERP once
 * (`erp_posting`: QUEUED → PENDING → POSTED | FAILED, with a lease instead of a lock held over the
 * ERP call); an ERP shipment needs no posting (NOT_NEEDED). `change_seq` orders the feed of
 * changes for `changedSince` and cursors. Quantities in the ordered UoM and in base UoM.
 */
export class Fulfillment1765500000000 implements MigrationInterface {
  name = 'Fulfillment1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE ful_shipment_number_seq START WITH 1000001`);
    await q.query(`CREATE SEQUENCE ful_change_seq`);
    await q.query(`
      CREATE TABLE ful_shipment (
        id uuid PRIMARY KEY,
        shipment_number text NOT NULL UNIQUE,
        order_id uuid NOT NULL REFERENCES ord_order(id) ON DELETE CASCADE,
        segment_id uuid NOT NULL REFERENCES ord_segment(id) ON DELETE CASCADE,
        order_channel_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('erp','wms','supplier')),
        source_key text NOT NULL,
        source_channel_id uuid,
        source_document_id text NOT NULL,
        content_hash text NOT NULL,
        ship_date date NOT NULL,
        carrier text,
        service text,
        tracking_numbers jsonb NOT NULL DEFAULT '[]',
        tracking_url text,
        warehouse_code text,
        supplier_id text,
        erp_posting text NOT NULL CHECK (erp_posting IN
          ('NOT_NEEDED','QUEUED','PENDING','POSTED','FAILED')),
        erp_shipment_no text,
        erp_errors jsonb NOT NULL DEFAULT '[]',
        erp_attempts integer NOT NULL DEFAULT 0,
        lease_id uuid,
        lease_expires_at timestamptz,
        correlation_id text,
        received_at timestamptz NOT NULL DEFAULT now(),
        erp_posted_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        change_seq bigint NOT NULL DEFAULT nextval('ful_change_seq'),
        CONSTRAINT ful_shipment_source_document UNIQUE (source, source_key, source_document_id)
      )`);
    await q.query(`CREATE INDEX ful_shipment_order_idx ON ful_shipment (order_id, received_at)`);
    await q.query(
      `CREATE INDEX ful_shipment_channel_feed_idx ON ful_shipment (order_channel_id, change_seq)`,
    );
    await q.query(`CREATE INDEX ful_shipment_feed_idx ON ful_shipment (change_seq)`);
    await q.query(`CREATE INDEX ful_shipment_erp_no_idx ON ful_shipment (erp_shipment_no)`);
    await q.query(`
      CREATE TABLE ful_shipment_line (
        shipment_id uuid NOT NULL REFERENCES ful_shipment(id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        order_line_no integer NOT NULL,
        line_ref text NOT NULL,
        sku text NOT NULL,
        quantity numeric NOT NULL CHECK (quantity > 0),
        uom text NOT NULL,
        base_quantity numeric NOT NULL,
        base_uom text NOT NULL,
        lot_no text,
        serial_numbers jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (shipment_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE ful_invoice (
        id uuid PRIMARY KEY,
        source_id text NOT NULL UNIQUE,
        invoice_number text NOT NULL,
        order_id uuid NOT NULL REFERENCES ord_order(id) ON DELETE CASCADE,
        order_channel_id uuid NOT NULL,
        erp_order_number text,
        status text NOT NULL CHECK (status IN ('DRAFT','OPEN','PAID','CANCELLED')),
        invoice_date date NOT NULL,
        due_date date,
        currency char(3) NOT NULL,
        amount_excluding_tax numeric NOT NULL,
        tax_amount numeric NOT NULL,
        amount_including_tax numeric NOT NULL,
        remaining_amount numeric,
        content_hash text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        change_seq bigint NOT NULL DEFAULT nextval('ful_change_seq')
      )`);
    await q.query(`CREATE INDEX ful_invoice_order_idx ON ful_invoice (order_id)`);
    await q.query(
      `CREATE INDEX ful_invoice_channel_feed_idx ON ful_invoice (order_channel_id, change_seq)`,
    );
    await q.query(`CREATE INDEX ful_invoice_feed_idx ON ful_invoice (change_seq)`);
    await q.query(`
      CREATE TABLE ful_invoice_line (
        invoice_id uuid NOT NULL REFERENCES ful_invoice(id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        -- null: a line for no order line (freight, a charge): billed, not counted as invoiced.
        order_line_no integer,
        sku text NOT NULL,
        quantity numeric NOT NULL,
        uom text NOT NULL,
        unit_price numeric NOT NULL,
        amount numeric NOT NULL,
        tax_amount numeric NOT NULL,
        PRIMARY KEY (invoice_id, line_no)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ful_invoice_line`);
    await q.query(`DROP TABLE ful_invoice`);
    await q.query(`DROP TABLE ful_shipment_line`);
    await q.query(`DROP TABLE ful_shipment`);
    await q.query(`DROP SEQUENCE ful_change_seq`);
    await q.query(`DROP SEQUENCE ful_shipment_number_seq`);
  }
}
