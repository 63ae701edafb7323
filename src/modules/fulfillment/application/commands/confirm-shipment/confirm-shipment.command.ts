import { Command } from '@nestjs/cqrs';
import type { AuthenticatedChannel } from '../../../../../platform/auth/index.js';
import type { Shipment } from '../../../domain/shipment.js';

export interface ShipmentConfirmationLine {
  /** The hub order line (`lines[].lineNo` of the order), or */
  lineNo?: number;
  /** the channel's line reference, or neither: then the SKU names the line. */
  lineRef?: string;
  sku: string;
  quantity: string;
  /** The ordered UoM (default) or the item's base UoM. */
  uom?: string;
  lotNo?: string;
  serialNumbers?: string[];
}

/** A WMS/3PL or drop-ship supplier confirms it shipped (part of) an order. */
export interface ShipmentConfirmation {
  /** The confirming system's own document id: confirmations are idempotent by it. */
  sourceDocumentId: string;
  /** The order: the hub order id, the hub order number, the ERP order number or the segment's external reference. */
  order: string;
  shipDate: string;
  carrier?: string;
  service?: string;
  trackingNumbers?: string[];
  trackingUrl?: string;
  lines: ShipmentConfirmationLine[];
}

export interface ConfirmShipmentResult {
  shipment: Shipment;
  /** false: the same confirmation was sent before; this is what it created. */
  created: boolean;
}

export class ConfirmShipmentCommand extends Command<ConfirmShipmentResult> {
  constructor(
    readonly confirmation: ShipmentConfirmation,
    readonly channel: AuthenticatedChannel,
  ) {
    super();
  }
}
