import { Injectable } from '@nestjs/common';
import { type ErpInvoice, InvoiceFeed } from '../../../../modules/fulfillment/index.js';
import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { OnPremErpConnection } from '../onprem-erp.connection.js';
import { readDocumentPage } from '../onprem-document.page.js';
import {
  AT_SQL,
  HUB_LINE_NO_SQL,
  type InvoiceHeaderRow,
  type InvoiceLineRow,
  toErpInvoice,
} from './onprem-fulfillment.mapper.js';

/**
 * Posted invoices changed at or after the start, in (updated_at, invoice_no COLLATE "C") order.
 * Payment and cancellation change the header (status, remaining amount); lines never change
 * after posting.
 */
const HEADERS_SQL = `
  SELECT h.invoice_no AS sid, ${AT_SQL('h.updated_at')} AS at, h.order_no, h.external_reference,
         to_char(h.invoice_date, 'YYYY-MM-DD') AS invoice_date,
         to_char(h.due_date, 'YYYY-MM-DD') AS due_date, h.currency_code,
         h.amount_excl_tax::text AS amount_excl_tax, h.tax_amount::text AS tax_amount,
         h.amount_incl_tax::text AS amount_incl_tax,
         h.remaining_amount::text AS remaining_amount, h.status
    FROM ar_invoice_header h
   WHERE h.updated_at >= $1::timestamptz
     AND (h.updated_at, h.invoice_no COLLATE "C") > ($1::timestamptz, $2::text COLLATE "C")
   ORDER BY h.updated_at, h.invoice_no COLLATE "C"
   LIMIT $3`;

const LINES_SQL = `
  SELECT l.invoice_no, l.line_no,
         ${HUB_LINE_NO_SQL('h.order_no', 'l.order_line_no', 'l.item_no')} AS order_line_no,
         l.item_no, l.uom_code, l.quantity::text AS quantity, l.unit_price::text AS unit_price,
         l.line_amount::text AS line_amount, l.tax_amount::text AS tax_amount
    FROM ar_invoice_line l
    JOIN ar_invoice_header h ON h.invoice_no = l.invoice_no
   WHERE l.invoice_no = ANY($1::text[])
   ORDER BY l.invoice_no, l.line_no`;

/**
 * InvoiceFeed over the on-prem ERP's posted invoices (`ar_invoice_header/line`). sourceId =
 * invoice number; status OPEN/PAID/CANCELLED as the ERP holds it (it has no drafts); amounts
 * exactly as the ERP's numeric(19,4) columns hold them; currency the order's ISO code.
 */
@Injectable()
export class OnPremInvoiceFeed extends InvoiceFeed {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  readInvoices(request: DeltaReadRequest): Promise<DeltaPage<ErpInvoice>> {
    return readDocumentPage<InvoiceHeaderRow, InvoiceLineRow, ErpInvoice>(this.erp, request, {
      headersSql: HEADERS_SQL,
      linesSql: LINES_SQL,
      lineOwner: (line) => line.invoice_no,
      map: toErpInvoice,
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}
