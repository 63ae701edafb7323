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
  /** Sum over `warehouses`. */
  atp: string;
  warehouses: WarehouseAvailability[];
  /** Newest of the warehouses' stockEventAt. */
  stockEventAt: Date | null;
}

export const MAX_AVAILABILITY_SKUS = 500;

/**
 * ATP per SKU per warehouse and in total, for the SKUs asked (in that order, each once; a SKU
 * the hub holds no stock for answers 0 with no warehouses). With a channel, only its warehouses
 * and after its buffer; without, plain ATP everywhere.
 */
export class GetAvailabilityQuery extends Query<SkuAvailability[]> {
  constructor(
    readonly skus: readonly string[],
    readonly warehouse?: string,
    readonly channel?: { channelId: string; kind: string },
  ) {
    super();
  }
}
