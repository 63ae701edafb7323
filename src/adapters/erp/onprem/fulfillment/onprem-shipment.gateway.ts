import { Injectable } from '@nestjs/common';
import {
  type ErpShipmentDocument,
  type ErpShipmentPosting,
  ShipmentGateway,
  ShipmentRejectedError,
} from '../../../../modules/fulfillment/index.js';
import { OnPremErpConnection, type OnPremSql } from '../onprem-erp.connection.js';
import { splitErrorText } from '../orders/onprem-sales-order.mapper.js';

/** A shipment import row as the gateway reads it. */
interface ShipmentImportRow {
  import_id: string;
  status: string;
  error_text: string | null;
  erp_shipment_no: string | null;
}

const IMPORT_STATE_SQL = `
  SELECT import_id::text AS import_id, status, error_text, erp_shipment_no
    FROM sh_shipment_import_header
   WHERE shipment_reference = $1`;

const HEADER_COLUMNS = [
  'shipment_reference',
  'source_system',
  'order_no',
  'external_reference',
  'ship_date',
  'shipping_agent_code',
  'shipping_service_code',
  'tracking_numbers',
  'tracking_url',
] as const;

const HEADER_VALUES = `$1, $2, $3, $4, $5::date, $6, $7, $8::text[], $9`;

const INSERT_HEADER_SQL = `
  INSERT INTO sh_shipment_import_header (${HEADER_COLUMNS.join(', ')})
  VALUES (${HEADER_VALUES})
  ON CONFLICT (shipment_reference) DO NOTHING
  RETURNING import_id::text AS import_id`;

/** Replaces a rejected import with the new document and queues it again. */
const REQUEUE_HEADER_SQL = `
  UPDATE sh_shipment_import_header
     SET (${HEADER_COLUMNS.join(', ')}) = (${HEADER_VALUES}),
         status = 'NEW', error_text = NULL, erp_shipment_no = NULL, processed_at = NULL
   WHERE import_id = $10`;

/** Lines from one JSON array (serial numbers are a list per line: no unnest of text[][]). */
const INSERT_LINES_SQL = `
  INSERT INTO sh_shipment_import_line (import_id, line_no, order_line_no, item_no, uom_code,
                                       quantity, lot_no, serial_nos)
  SELECT $1::bigint, l.line_no, l.order_line_no, l.item_no, l.uom_code, l.quantity, l.lot_no,
         COALESCE(l.serial_nos, '{}')
    FROM jsonb_to_recordset($2::jsonb) AS l(line_no int, order_line_no int, item_no text,
                                           uom_code text, quantity numeric, lot_no text,
                                           serial_nos text[])`;

const SOURCE_SYSTEM = 'CROSSDOCK';

/**
 * ShipmentGateway over the on-prem ERP's shipment import tables: `post()` stages
 * `sh_shipment_import_header/line` keyed by the hub's shipment reference (UNIQUE), and the ERP's
 * import job posts the shipment later (or records ERROR with its reasons). So `post()` of a new
 * reference answers PENDING; `status()` reads POSTED with the ERP shipment number, or REJECTED.
 *
 * Exactly once: the reference is looked up first with its row locked; a new import goes in with
 * `ON CONFLICT (shipment_reference) DO NOTHING` in the same transaction as its lines, so two
 * instances posting one reference at once stage one import (the loser waits for the winner's
 * commit and then reads what it staged). A REJECTED import has no ERP shipment: a new post of
 * its reference replaces it and queues it again (as OnPremSalesOrderGateway does).
 */
@Injectable()
export class OnPremShipmentGateway extends ShipmentGateway {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  async post(document: ErpShipmentDocument, signal?: AbortSignal): Promise<ErpShipmentPosting> {
    signal?.throwIfAborted();
    const ref = document.shipmentReference;
    try {
      return await this.erp.write(async (sql) => {
        let existing = await lockImport(sql, ref);
        if (!existing) {
          const [inserted] = await sql.query<{ import_id: string }>(
            INSERT_HEADER_SQL,
            headerValues(document),
          );
          if (inserted) {
            await sql.query(INSERT_LINES_SQL, [inserted.import_id, linesJson(document)]);
            return { ...postingOf(ref, pending(inserted.import_id)), created: true };
          }
          // Another instance staged it first (our insert waited for its commit): read it.
          existing = await lockImport(sql, ref);
          if (!existing) {
            throw new Error(`The on-prem ERP shipment import ${ref} vanished while it was posted.`);
          }
        }
        if (existing.status === 'ERROR') {
          await sql.query(REQUEUE_HEADER_SQL, [...headerValues(document), existing.import_id]);
          await sql.query('DELETE FROM sh_shipment_import_line WHERE import_id = $1', [
            existing.import_id,
          ]);
          await sql.query(INSERT_LINES_SQL, [existing.import_id, linesJson(document)]);
          return { ...postingOf(ref, pending(existing.import_id)), created: true };
        }
        return postingOf(ref, existing);
      });
    } catch (error) {
      throw asRejection(ref, error);
    }
  }

  async status(shipmentReference: string, signal?: AbortSignal): Promise<ErpShipmentPosting> {
    signal?.throwIfAborted();
    const [row] = await this.erp.read((sql) =>
      sql.query<ShipmentImportRow>(IMPORT_STATE_SQL, [shipmentReference]),
    );
    return postingOf(shipmentReference, row);
  }
}

async function lockImport(sql: OnPremSql, ref: string): Promise<ShipmentImportRow | undefined> {
  const [row] = await sql.query<ShipmentImportRow>(`${IMPORT_STATE_SQL} FOR UPDATE`, [ref]);
  return row;
}

function pending(importId: string): ShipmentImportRow {
  return { import_id: importId, status: 'NEW', error_text: null, erp_shipment_no: null };
}

/** What the ERP did with a reference, from its import row (undefined = never staged). */
function postingOf(ref: string, row: ShipmentImportRow | undefined): ErpShipmentPosting {
  const posting = (
    state: ErpShipmentPosting['state'],
    erpShipmentNo: string | null = null,
    errors: string[] = [],
  ): ErpShipmentPosting => ({
    shipmentReference: ref,
    state,
    erpShipmentNo,
    errors,
    created: false,
  });
  if (!row) return posting('NOT_FOUND');
  switch (row.status) {
    case 'NEW':
    case 'PROCESSING':
      return posting('PENDING');
    case 'IMPORTED':
      return posting('POSTED', row.erp_shipment_no);
    case 'ERROR':
      return posting('REJECTED', null, splitErrorText(row.error_text));
    default:
      throw new Error(
        `The on-prem ERP shipment import ${ref} has an unknown status '${row.status}'.`,
      );
  }
}

function headerValues(document: ErpShipmentDocument): unknown[] {
  return [
    document.shipmentReference,
    SOURCE_SYSTEM,
    document.erpOrderNumber,
    document.externalReference,
    document.shipDate,
    document.carrier,
    document.service,
    document.trackingNumbers,
    document.trackingUrl,
  ];
}

/** The lines as the JSON array INSERT_LINES_SQL reads; quantities stay decimal strings. */
function linesJson(document: ErpShipmentDocument): string {
  return JSON.stringify(
    document.lines.map((l, index) => ({
      line_no: index + 1,
      order_line_no: l.orderLineNo,
      item_no: l.sku,
      uom_code: l.uom,
      quantity: l.quantity,
      lot_no: l.lotNo,
      serial_nos: l.serialNos,
    })),
  );
}

/**
 * The staging tables have no foreign keys: what PostgreSQL refuses is a value that does not fit
 * a column (too long a reference, a bad date or quantity): the same document can never be
 * staged. SQLSTATE classes 22 and 23; anything else is transient.
 */
function asRejection(ref: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^2[23]/.test(code) && error instanceof Error) {
    return new ShipmentRejectedError(ref, [`The ERP import tables refused it: ${error.message}`]);
  }
  return error;
}
