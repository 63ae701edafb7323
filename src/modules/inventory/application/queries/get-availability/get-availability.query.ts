import { Query } from '@nestjs/cqrs';

/** ATP of one SKU in one warehouse, after the channel's rules. */
export interface WarehouseAvailability {
  warehouse: string;
  /** Decimal string, base UoM. */
  atp: string;
  /** Source time of the newest stock event behind the figure (null: none yet). */
  stockEventAt: Date | null;
  /** When the hub last changed the position (stock events, ERP balances, reservations). */
  updatedAt: Date;
}

export interface SkuAvailability {
  sku: string;
  /** False for a SKU the hub's master data does not know (then atp "0", no warehouses). */
  found: boolean;
  /** The item's base unit of measure, which every quantity here is in; null when not found. */
  uom: string | null;
  /** Sum over `warehouses`. */
  atp: string;
  warehouses: WarehouseAvailability[];
  /** Newest of the warehouses' stockEventAt. */
  stockEventAt: Date | null;
}

export const MAX_AVAILABILITY_SKUS = 500;

/**
 * ATP per SKU per warehouse and in total, in the item's base UoM, for the SKUs asked (in that
 * order, each once; a known SKU the hub holds no stock for answers 0 with no warehouses, an
 * unknown one `found: false`). With a channel, only its warehouses and after its buffer; without,
 * plain ATP everywhere. `singleUnknownIsNotFound`: a request for exactly one SKU that is unknown
 * fails with ITEM_NOT_FOUND (404) instead (what a channel asking for one SKU needs to hear).
 */
export class GetAvailabilityQuery extends Query<SkuAvailability[]> {
  constructor(
    readonly skus: readonly string[],
    readonly warehouse?: string,
    readonly channel?: { channelId: string; kind: string },
    readonly singleUnknownIsNotFound = false,
  ) {
    super();
  }
}
