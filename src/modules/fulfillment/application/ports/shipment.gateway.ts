import type { ErpShipmentDocument, ErpShipmentPosting } from '../../domain/erp-fulfillment.js';

/*
 * ShipmentGateway: how the hub posts a shipment confirmed by a WMS/3PL or a drop-ship supplier
 * to the ERP (the ERP is not the source of those shipments, but must hold them, once).
 * ===========================================================================================
 *
 * 1. One hub shipment = one ERP posted shipment, identified in the ERP by `shipmentReference`
 *    (the hub's shipment number, ≤ 35 characters). On-prem: a shipment import staging row keyed
 *    by it; cloud: a custom API page that posts a ship-only shipment and keeps the reference.
 * 2. Exactly once: `post()` ALWAYS looks the reference up first; when the ERP already has it,
 *    nothing is posted and the existing shipment is returned (`created: false`). A post whose
 *    answer was lost is safe to repeat any number of times.
 * 3. PENDING: the ERP takes the shipment in its own import job later (on-prem); the hub asks
 *    again with `status()`. POSTED carries the ERP's shipment number.
 * 4. `ShipmentRejectedError` when the ERP refuses the document (order unknown or closed, line
 *    over-shipped in the ERP, …): retrying cannot succeed. `ShipmentPostingUnsupportedError` when
 *    this ERP cannot take a ship-only shipment through its API at all (cloud without the
 *    extension): an operator must act; the hub records an exception, replayable. Anything else
 *    thrown is transient (network, 5xx, 429, timeout): the hub retries.
 * 5. Lines name the ERP order line by the hub document's line number (`orderLineNo`, the
 *    `lineNo` SalesOrderGateway submitted), quantities in that line's UoM, decimal strings.
 */
export abstract class ShipmentGateway {
  abstract readonly name: string;

  abstract post(document: ErpShipmentDocument, signal?: AbortSignal): Promise<ErpShipmentPosting>;

  abstract status(shipmentReference: string, signal?: AbortSignal): Promise<ErpShipmentPosting>;
}

/** The ERP refused the shipment: the same document will never succeed. */
export class ShipmentRejectedError extends Error {
  override readonly name = 'ShipmentRejectedError';
  readonly code = 'ERP_SHIPMENT_REJECTED';

  constructor(
    readonly shipmentReference: string,
    readonly reasons: string[],
  ) {
    super(`The ERP rejected shipment ${shipmentReference}: ${reasons.join('; ')}`);
  }
}

/** The ERP has no API to take this shipment (e.g. BC without the ship-only extension page). */
export class ShipmentPostingUnsupportedError extends Error {
  override readonly name = 'ShipmentPostingUnsupportedError';
  readonly code = 'ERP_SHIPMENT_POSTING_UNSUPPORTED';

  constructor(
    readonly shipmentReference: string,
    readonly reason: string,
  ) {
    super(`The ERP cannot take shipment ${shipmentReference}: ${reason}`);
  }
}
