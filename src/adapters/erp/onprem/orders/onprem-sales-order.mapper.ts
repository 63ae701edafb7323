import type { ErpOrderStatus, ErpSalesOrderDocument } from '../../../../modules/orders/index.js';

/**
 * What the hub writes into `error_text` of an import it withdrew (cancel before the ERP
 * imported it). The staging schema has no CANCELLED import status, and deleting the row would
 * forget the reference (a second cancel would answer NOT_FOUND, a late resubmit would create
 * the order after all): the row stays, ERROR + this text, and reads back as CANCELLED.
 */
export const WITHDRAWN_IMPORT_TEXT =
  '[CROSSDOCK] Withdrawn: the hub cancelled this order before the ERP imported it.';

/** The ERP joins every problem of an import into error_text with '; ' (import processor). */
const ERROR_SEPARATOR = '; ';

/** An import row as the gateway reads it, with its ERP order's status when there is one. */
export interface ImportStateRow {
  import_id: string;
  status: string;
  error_text: string | null;
  erp_order_no: string | null;
  order_status: string | null;
}

/** The ERP's reasons from an import's error_text. */
export function splitErrorText(text: string | null): string[] {
  if (!text) return [];
  return text
    .split(ERROR_SEPARATOR)
    .map((reason) => reason.trim())
    .filter((reason) => reason.length > 0);
}

export function isWithdrawn(row: Pick<ImportStateRow, 'status' | 'error_text'>): boolean {
  return row.status === 'ERROR' && row.error_text === WITHDRAWN_IMPORT_TEXT;
}

/** What the ERP did with a reference, from its import row (undefined = never staged). */
export function importStatus(
  externalReference: string,
  row: ImportStateRow | undefined,
): ErpOrderStatus {
  const status = (
    state: ErpOrderStatus['state'],
    erpOrderNumber: string | null = null,
    errors: string[] = [],
  ): ErpOrderStatus => ({ externalReference, state, erpOrderNumber, errors });
  if (!row) return status('NOT_FOUND');
  switch (row.status) {
    case 'NEW':
    case 'PROCESSING':
      return status('PENDING');
    case 'ERROR':
      return isWithdrawn(row)
        ? status('CANCELLED')
        : status('REJECTED', null, splitErrorText(row.error_text));
    case 'IMPORTED':
      return status(row.order_status === 'CANCELLED' ? 'CANCELLED' : 'CREATED', row.erp_order_no);
    default:
      throw new Error(
        `The on-prem ERP import of ${externalReference} has an unknown status '${row.status}'.`,
      );
  }
}

/** The `so_import_header` columns the hub writes, in the order of `importHeaderValues`. */
export const IMPORT_HEADER_COLUMNS = [
  'external_reference',
  'source_system',
  'customer_no',
  'ship_to_code',
  'ship_to_name',
  'ship_to_address_line1',
  'ship_to_address_line2',
  'ship_to_city',
  'ship_to_state',
  'ship_to_postal_code',
  'ship_to_country_code',
  'customer_po',
  'order_date',
  'requested_date',
  'currency_code',
  'warehouse_code',
  'comments',
] as const;

/** How the ERP knows where its imports came from. */
export const SOURCE_SYSTEM = 'CROSSDOCK';

/**
 * The header row of a document. A ship-to code names one of the customer's ship-tos; a
 * one-time address goes in the ship_to_* columns (the ERP uses them when address line 1 is
 * set). No ship-to: the ERP takes the customer's default ship-to.
 */
export function importHeaderValues(document: ErpSalesOrderDocument): unknown[] {
  const shipTo = document.shipTo;
  const address = shipTo?.kind === 'address' ? shipTo : null;
  return [
    document.externalReference,
    SOURCE_SYSTEM,
    document.customerNo,
    shipTo?.kind === 'code' ? shipTo.code : null,
    address?.name ?? null,
    address?.addressLine1 ?? null,
    address?.addressLine2 ?? null,
    address?.city ?? null,
    address?.region ?? null,
    address?.postalCode ?? null,
    address?.country ?? null,
    document.customerPo,
    document.orderDate,
    document.requestedDate,
    document.currency,
    document.warehouseCode,
    document.notes,
  ];
}

/**
 * The line rows as column arrays (for `unnest`): line_no, item_no, uom_code, quantity,
 * unit_price, warehouse_code, external_line_reference. Every line ships from the document's
 * warehouse; a drop-ship document has none, and the ERP marks lines of its DROP_SHIP items with
 * the item's supplier and no warehouse.
 */
export function importLineColumns(document: ErpSalesOrderDocument): unknown[][] {
  const lines = document.lines;
  return [
    lines.map((l) => l.lineNo),
    lines.map((l) => l.sku),
    lines.map((l) => l.uom),
    lines.map((l) => l.quantity),
    lines.map((l) => l.unitPrice),
    lines.map(() => document.warehouseCode),
    lines.map((l) => l.lineRef),
  ];
}
