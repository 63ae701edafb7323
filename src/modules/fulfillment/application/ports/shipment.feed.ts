import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import type { ErpShipment } from '../../domain/erp-fulfillment.js';

/*
 * ShipmentFeed: how the hub reads posted sales shipments from the ERP.
 * ====================================================================
 *
 * An ERP adapter implements this port; ErpAdapterModule binds it. The hub reads it with the
 * delta-sync runner (src/platform/delta-sync), with the same rules as InventoryFeed for deltas,
 * order, paging, failures and health:
 *
 * 1. Delta (`since`): every posted shipment created or changed after since.modifiedAt (or at it,
 *    with a greater sourceId). `since: null` = every shipment. Ascending modifiedAt, ties by
 *    sourceId ordinally; keyset paging, `nextCursor: null` ends the pass.
 * 2. sourceId: the shipment's identity in the ERP (on-prem: the shipment number; cloud: the
 *    salesShipment id).
 * 3. Records: one ErpShipment WITH its lines (a shipment without lines is never delivered
 *    half-read). A shipment that cannot be mapped comes back as `{ sourceId, invalid }`.
 * 4. Link to the hub: `externalReference` is the hub segment's external reference the ERP copied
 *    from the sales order (on-prem: the order header's; cloud: `externalDocumentNumber`), and
 *    `erpOrderNumber` the ERP order number; either may identify the order, the hub tries both.
 * 5. Lines: `orderLineNo` is the hub document's line number (1, 2, …) of the order line shipped
 *    when the ERP links it (on-prem: the order line number; cloud: null, BC's standard shipment
 *    line has no order-line link, see ../../../../../shared/erp §5.9); the hub then matches by
 *    SKU and open quantity. Quantities are decimal strings in the line's `uom`.
 * 6. Tracking: carrier, service, tracking numbers and URL where the ERP has them. Cloud: from a
 *    custom API page when installed (BC's standard salesShipment has no tracking fields); when
 *    it is missing the page reports `degraded` and the fields are null/empty.
 * 7. `hubShipmentId`: set when the shipment was posted by the hub (ShipmentGateway.post) for a
 *    WMS/supplier confirmation, so the hub never counts that shipment a second time.
 */
export abstract class ShipmentFeed {
  abstract readonly name: string;

  abstract readShipments(request: DeltaReadRequest): Promise<DeltaPage<ErpShipment>>;

  abstract healthCheck(): Promise<DeltaFeedHealth>;
}

export type { ErpShipment };
