import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../platform/database/index.js';
import type { Invoice, InvoiceLine, InvoiceStatus } from '../domain/shipment.js';

export interface InvoiceRecord {
  sourceId: string;
  invoiceNumber: string;
  orderId: string;
  orderChannelId: string;
  erpOrderNumber: string | null;
  status: InvoiceStatus;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  amountExcludingTax: string;
  taxAmount: string;
  amountIncludingTax: string;
  remainingAmount: string | null;
  contentHash: string;
  lines: InvoiceLine[];
}

interface InvoiceRow {
  id: string;
  invoice_number: string;
  order_id: string;
  order_number: string;
  erp_order_number: string | null;
  status: InvoiceStatus;
  invoice_date: string;
  due_date: string | null;
  currency: string;
  amount_excluding_tax: string;
  tax_amount: string;
  amount_including_tax: string;
  remaining_amount: string | null;
  content_hash: string;
  received_at: Date;
  updated_at: Date;
  change_seq: string;
}

const COLUMNS = `i.id, i.invoice_number, i.order_id, o.order_number, i.erp_order_number, i.status,
  to_char(i.invoice_date, 'YYYY-MM-DD') AS invoice_date, to_char(i.due_date, 'YYYY-MM-DD') AS due_date,
  i.currency, i.amount_excluding_tax::text AS amount_excluding_tax, i.tax_amount::text AS tax_amount,
  i.amount_including_tax::text AS amount_including_tax, i.remaining_amount::text AS remaining_amount,
  i.content_hash, i.received_at, i.updated_at, i.change_seq::text AS change_seq`;
const FROM = `ful_invoice i JOIN ord_order o ON o.id = i.order_id`;

/** Invoices and their lines; every method runs in the caller's unit of work. */
@Injectable()
export class InvoiceRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** The stored version of an ERP invoice (by its ERP identity), locked, with its content hash. */
  async findBySource(sourceId: string): Promise<(Invoice & { contentHash: string }) | null> {
    const rows = (await this.uow.manager.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.source_id = $1 FOR UPDATE OF i`,
      [sourceId],
    )) as InvoiceRow[];
    const [found] = await this.assemble(rows);
    return found ? { ...found, contentHash: rows[0].content_hash } : null;
  }

  /** How many invoices the order has. */
  async countForOrder(orderId: string): Promise<number> {
    const [row] = (await this.uow.manager.query(
      `SELECT count(*)::int AS n FROM ful_invoice WHERE order_id = $1`,
      [orderId],
    )) as { n: number }[];
    return row.n;
  }

  /** The channel whose order the invoice is for. */
  async ownerOf(id: string): Promise<string | null> {
    const rows = (await this.uow.manager.query(
      `SELECT order_channel_id FROM ful_invoice WHERE id = $1`,
      [id],
    )) as { order_channel_id: string }[];
    return rows[0]?.order_channel_id ?? null;
  }

  async find(id: string): Promise<Invoice | null> {
    const rows = (await this.uow.manager.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = $1`, [
      id,
    ])) as InvoiceRow[];
    return (await this.assemble(rows))[0] ?? null;
  }

  async forOrder(orderId: string): Promise<Invoice[]> {
    const rows = (await this.uow.manager.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.order_id = $1 ORDER BY i.invoice_date, i.invoice_number`,
      [orderId],
    )) as InvoiceRow[];
    return this.assemble(rows);
  }

  /** Inserts or replaces (header and lines) the invoice with this source id. */
  async save(record: InvoiceRecord, existingId: string | null): Promise<string> {
    const m = this.uow.manager;
    const id = existingId ?? randomUUID();
    const values = [
      id,
      record.sourceId,
      record.invoiceNumber,
      record.orderId,
      record.orderChannelId,
      record.erpOrderNumber,
      record.status,
      record.invoiceDate,
      record.dueDate,
      record.currency,
      record.amountExcludingTax,
      record.taxAmount,
      record.amountIncludingTax,
      record.remainingAmount,
      record.contentHash,
    ];
    if (existingId) {
      await m.query(
        `UPDATE ful_invoice SET source_id = $2, invoice_number = $3, order_id = $4,
           order_channel_id = $5, erp_order_number = $6, status = $7, invoice_date = $8,
           due_date = $9, currency = $10, amount_excluding_tax = $11, tax_amount = $12,
           amount_including_tax = $13, remaining_amount = $14, content_hash = $15, updated_at = now(),
           change_seq = nextval('ful_change_seq')
         WHERE id = $1`,
        values,
      );
      await m.query(`DELETE FROM ful_invoice_line WHERE invoice_id = $1`, [id]);
    } else {
      await m.query(
        `INSERT INTO ful_invoice (id, source_id, invoice_number, order_id, order_channel_id,
           erp_order_number, status, invoice_date, due_date, currency, amount_excluding_tax,
           tax_amount, amount_including_tax, remaining_amount, content_hash)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
        values,
      );
    }
    const lines = record.lines;
    await m.query(
      `INSERT INTO ful_invoice_line (invoice_id, line_no, order_line_no, sku, quantity, uom,
         unit_price, amount, tax_amount)
       SELECT $1, t.line_no, t.order_line_no, t.sku, t.quantity::numeric, t.uom,
              t.unit_price::numeric, t.amount::numeric, t.tax_amount::numeric
         FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[])
              AS t(line_no, order_line_no, sku, quantity, uom, unit_price, amount, tax_amount)`,
      [
        id,
        lines.map((l) => l.lineNo),
        lines.map((l) => l.orderLineNo),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantity),
        lines.map((l) => l.uom),
        lines.map((l) => l.unitPrice),
        lines.map((l) => l.amount),
        lines.map((l) => l.taxAmount),
      ],
    );
    return id;
  }

  async list(filter: {
    orderChannelId?: string;
    orderId?: string;
    changedSince?: string;
    afterSeq?: string;
    limit: number;
  }): Promise<{ items: Invoice[]; lastSeq: string | null; more: boolean }> {
    const rows = (await this.uow.manager.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE ($1::uuid IS NULL OR i.order_channel_id = $1)
          AND ($2::uuid IS NULL OR i.order_id = $2)
          AND ($3::timestamptz IS NULL OR i.updated_at > $3)
          AND ($4::bigint IS NULL OR i.change_seq > $4)
        ORDER BY i.change_seq LIMIT $5`,
      [
        filter.orderChannelId ?? null,
        filter.orderId ?? null,
        filter.changedSince ?? null,
        filter.afterSeq ?? null,
        filter.limit + 1,
      ],
    )) as InvoiceRow[];
    const more = rows.length > filter.limit;
    const page = rows.slice(0, filter.limit);
    return {
      items: await this.assemble(page),
      lastSeq: page.length ? page[page.length - 1].change_seq : null,
      more,
    };
  }

  private async assemble(rows: InvoiceRow[]): Promise<Invoice[]> {
    if (rows.length === 0) return [];
    const lines = (await this.uow.manager.query(
      `SELECT invoice_id, line_no, order_line_no, sku, quantity::text AS quantity, uom,
              unit_price::text AS unit_price, amount::text AS amount, tax_amount::text AS tax_amount
         FROM ful_invoice_line WHERE invoice_id = ANY($1) ORDER BY invoice_id, line_no`,
      [rows.map((r) => r.id)],
    )) as {
      invoice_id: string;
      line_no: number;
      order_line_no: number | null;
      sku: string;
      quantity: string;
      uom: string;
      unit_price: string;
      amount: string;
      tax_amount: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      invoiceNumber: r.invoice_number,
      orderId: r.order_id,
      orderNumber: r.order_number,
      erpOrderNumber: r.erp_order_number,
      status: r.status,
      invoiceDate: r.invoice_date,
      dueDate: r.due_date,
      currency: r.currency,
      amountExcludingTax: r.amount_excluding_tax,
      taxAmount: r.tax_amount,
      amountIncludingTax: r.amount_including_tax,
      remainingAmount: r.remaining_amount,
      receivedAt: r.received_at,
      updatedAt: r.updated_at,
      lines: lines
        .filter((l) => l.invoice_id === r.id)
        .map((l) => ({
          lineNo: l.line_no,
          orderLineNo: l.order_line_no,
          sku: l.sku,
          quantity: l.quantity,
          uom: l.uom,
          unitPrice: l.unit_price,
          amount: l.amount,
          taxAmount: l.tax_amount,
        })),
    }));
  }
}
