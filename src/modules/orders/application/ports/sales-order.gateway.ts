/*
 * SalesOrderGateway: how the hub creates, reads back and cancels sales orders in the ERP.
 * ======================================================================================
 *
 * An ERP adapter (src/adapters/erp/*) implements this port; ErpAdapterModule binds it with
 * `{ provide: SalesOrderGateway, useExisting: TheAdapter }`. One contract suite
 * (test/contracts/sales-order-gateway.contract.ts) runs against every adapter.
 *
 * The contract, rule by rule:
 *
 * 1. One hub order segment = one ERP sales order, identified in the ERP by `externalReference`
 *    (on-prem: the import staging table's unique external reference; cloud: the sales order's
 *    `externalDocumentNumber`). References are ≤ 35 characters (BC's limit).
 * 2. Exactly once: `submit()` ALWAYS looks the reference up first. When the ERP already has a
 *    document with it (created, or still waiting in the import queue), nothing is created and
 *    that document's status is returned (`created: false`). So a submit whose answer was lost
 *    (timeout, dropped connection, crash) is safe to repeat, any number of times.
 * 3. A rejected import (on-prem: the ERP's import job set it to ERROR) is replaced by the
 *    submitted document and queued again: no ERP order exists for it, so this cannot duplicate.
 * 4. `submit()` throws `SalesOrderRejectedError` when the ERP refuses the document outright
 *    (validation: unknown customer, blocked item, …): retrying the same document cannot succeed.
 *    Anything else it throws is transient (network, 5xx, 429, timeout) and the hub retries.
 * 5. `status()` reads what the ERP did with a reference: NOT_FOUND, PENDING (queued for the
 *    ERP's own import job), CREATED (with the ERP order number), REJECTED (with the ERP's
 *    reasons) or CANCELLED.
 * 6. `cancel()` cancels the ERP order (or withdraws a pending import). Cancelling what is not
 *    there answers NOT_FOUND; cancelling twice answers CANCELLED both times, except where the
 *    ERP deletes a cancelled order (Business Central: the cloud adapter), where the second answer
 *    is NOT_FOUND. The hub treats both as done. An order the ERP has already shipped (fully or
 *    partly) throws `SalesOrderNotCancellableError`.
 * 7. Quantities and prices are decimal strings; quantities are in the line's `uom`, unit prices
 *    per that UoM with at most 4 decimals.
 */

import type { ErpShipTo } from '../../domain/ship-to.js';

/**
 * Where the ERP should deliver: one of the customer's ship-to codes, or a one-time address (the
 * order's one address type, domain/ship-to.ts).
 */
export type { ErpShipTo } from '../../domain/ship-to.js';

export interface ErpSalesOrderLine {
  /** 1, 2, 3… within the document. */
  lineNo: number;
  /** The channel's line reference, kept on the ERP line where the ERP has room for it. */
  lineRef: string;
  sku: string;
  uom: string;
  /** In `uom`, a decimal string > 0. */
  quantity: string;
  /** Per `uom`, 4 decimals: the price the hub priced with (the ERP's own price data). */
  unitPrice: string;
}

/** One ERP sales order as the hub submits it (a segment of a hub order). */
export interface ErpSalesOrderDocument {
  externalReference: string;
  customerNo: string;
  shipTo: ErpShipTo | null;
  customerPo: string | null;
  /** YYYY-MM-DD. */
  orderDate: string;
  /** YYYY-MM-DD or null. */
  requestedDate: string | null;
  currency: string;
  /** The warehouse (location) that ships a stocked segment; null for a drop-ship segment. */
  warehouseCode: string | null;
  /** The supplier that ships a drop-ship segment; null for a stocked segment. */
  dropShipSupplierId: string | null;
  notes: string | null;
  lines: ErpSalesOrderLine[];
}

export const ERP_ORDER_STATES = [
  'NOT_FOUND',
  'PENDING',
  'CREATED',
  'REJECTED',
  'CANCELLED',
] as const;
export type ErpOrderState = (typeof ERP_ORDER_STATES)[number];

export interface ErpOrderStatus {
  externalReference: string;
  state: ErpOrderState;
  /** The ERP's order number once it created the order (CREATED, and CANCELLED after it). */
  erpOrderNumber: string | null;
  /** The ERP's reasons when REJECTED; empty otherwise. */
  errors: string[];
}

export interface SubmitResult extends ErpOrderStatus {
  /** true when this call created the document; false when the look-up found it already there. */
  created: boolean;
}

/** The ERP refused the document: the same document will never succeed. */
export class SalesOrderRejectedError extends Error {
  override readonly name = 'SalesOrderRejectedError';
  readonly code = 'ERP_REJECTED';

  constructor(
    readonly externalReference: string,
    readonly reasons: string[],
  ) {
    super(`The ERP rejected sales order ${externalReference}: ${reasons.join('; ')}`);
  }
}

/** The ERP order cannot be cancelled any more (shipped, invoiced). */
export class SalesOrderNotCancellableError extends Error {
  override readonly name = 'SalesOrderNotCancellableError';
  readonly code = 'ERP_NOT_CANCELLABLE';

  constructor(
    readonly externalReference: string,
    readonly reason: string,
  ) {
    super(`The ERP order ${externalReference} cannot be cancelled: ${reason}`);
  }
}

/** The ERP port of the orders module. Abstract class = DI token (CONVENTIONS rule 1). */
export abstract class SalesOrderGateway {
  /** Adapter name (`onprem`, `cloud`): on logs and metrics. */
  abstract readonly name: string;

  abstract submit(document: ErpSalesOrderDocument, signal?: AbortSignal): Promise<SubmitResult>;

  abstract status(externalReference: string, signal?: AbortSignal): Promise<ErpOrderStatus>;

  abstract cancel(externalReference: string, signal?: AbortSignal): Promise<ErpOrderStatus>;
}
