import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';

/*
 * SalesOrderChangeFeed: what happened to the hub's orders inside the ERP after posting.
 * ====================================================================================
 *
 * The ERP's users cancel orders, change quantities, remove lines or close orders. The hub reads
 * those changes back so the order, its reservations and the channel follow.
 *
 * 1. `readChanges`: a delta feed with the ShipmentFeed/InventoryFeed rules (since, order,
 *    keyset paging, invalid records). It delivers ERP sales orders that carry a hub external
 *    reference (orders created by anyone else are skipped), as a SNAPSHOT of the order now.
 *    sourceId: the ERP order's identity (on-prem: order number; cloud: salesOrder id).
 * 2. `lookUp`: the current snapshot of each given external reference, NOT_FOUND included. An ERP
 *    that deletes cancelled orders (Business Central) shows a cancel only this way (a delta of a
 *    collection never contains deleted rows); the hub sweeps its open posted orders with it.
 *    At most 50 references per call.
 * 3. Lines are the ERP's current lines with the hub document's line number (`lineNo`, as
 *    submitted); a line the ERP removed is absent; a line an ERP user added has `lineNo: null`.
 * 4. `changedBy`: the ERP user who made the last change, when the ERP records it.
 */
export const ERP_ORDER_SNAPSHOT_STATES = ['OPEN', 'CLOSED', 'CANCELLED', 'NOT_FOUND'] as const;
export type ErpOrderSnapshotState = (typeof ERP_ORDER_SNAPSHOT_STATES)[number];

export interface ErpOrderSnapshotLine {
  lineNo: number | null;
  sku: string;
  uom: string;
  /** The ordered quantity the ERP holds now, in `uom`. */
  quantity: string;
  /** Shipped so far per the ERP, in `uom`. */
  shippedQuantity: string;
}

export interface ErpOrderSnapshot {
  externalReference: string;
  erpOrderNumber: string | null;
  /**
   * OPEN: still to ship (fully or partly). CLOSED: the ERP finished it (fully shipped, or
   * closed with the rest cancelled). CANCELLED: cancelled in the ERP. NOT_FOUND: lookUp only.
   */
  state: ErpOrderSnapshotState;
  lines: ErpOrderSnapshotLine[];
  /** When the ERP last changed the order, ISO 8601 with offset. */
  modifiedAt: string;
  changedBy: string | null;
}

export abstract class SalesOrderChangeFeed {
  abstract readonly name: string;

  abstract readChanges(request: DeltaReadRequest): Promise<DeltaPage<ErpOrderSnapshot>>;

  abstract lookUp(
    externalReferences: readonly string[],
    signal?: AbortSignal,
  ): Promise<ErpOrderSnapshot[]>;

  abstract healthCheck(): Promise<DeltaFeedHealth>;
}
