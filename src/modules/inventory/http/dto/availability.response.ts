import { ApiProperty } from '@nestjs/swagger';
import type {
  SkuAvailability,
  WarehouseAvailability,
} from '../../application/queries/get-availability/get-availability.query.js';

export class WarehouseAvailabilityResponse {
  @ApiProperty({ example: 'EAST' })
  warehouse: string;

  @ApiProperty({
    description:
      'Available to promise for the calling channel: on hand − allocated − reserved − safety ' +
      'stock, less the channel buffer, never below 0. Decimal string, in the base UoM (`uom`).',
    example: '118',
  })
  atp: string;

  @ApiProperty({
    description:
      'Source time of the newest stock event (WMS event or ERP balance) behind this figure; ' +
      'null when none has arrived yet',
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-05-13T10:15:30.123Z',
  })
  stockEventAt: string | null;

  @ApiProperty({
    description: 'When the hub last changed this position (stock events, reservations)',
    format: 'date-time',
    example: '2026-05-13T10:15:30.456Z',
  })
  updatedAt: string;

  static from(w: WarehouseAvailability): WarehouseAvailabilityResponse {
    return {
      warehouse: w.warehouse,
      atp: w.atp,
      stockEventAt: w.stockEventAt?.toISOString() ?? null,
      updatedAt: w.updatedAt.toISOString(),
    };
  }
}

export class SkuAvailabilityResponse {
  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({
    description:
      'False when the hub knows no item with this SKU (only in a multi-SKU request: a request ' +
      'for one unknown SKU answers 404 ITEM_NOT_FOUND); then `uom` is null and `atp` "0"',
    example: true,
  })
  found: boolean;

  @ApiProperty({
    description: "The item's base unit of measure: every quantity in this entry is in it",
    nullable: true,
    type: String,
    example: 'EA',
  })
  uom: string | null;

  @ApiProperty({
    description: 'Total over the warehouses listed; "0" for a SKU the hub holds no stock of',
    example: '130',
  })
  atp: string;

  @ApiProperty({
    description: 'Newest stockEventAt of the warehouses',
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-05-13T10:15:30.123Z',
  })
  stockEventAt: string | null;

  @ApiProperty({
    type: [WarehouseAvailabilityResponse],
    description: 'Warehouses the channel may sell from that hold a position for the SKU',
  })
  warehouses: WarehouseAvailabilityResponse[];

  static from(s: SkuAvailability): SkuAvailabilityResponse {
    return {
      sku: s.sku,
      found: s.found,
      uom: s.uom,
      atp: s.atp,
      stockEventAt: s.stockEventAt?.toISOString() ?? null,
      warehouses: s.warehouses.map(WarehouseAvailabilityResponse.from),
    };
  }
}

export class AvailabilityResponse {
  @ApiProperty({ type: [SkuAvailabilityResponse], description: 'One entry per SKU asked for' })
  items: SkuAvailabilityResponse[];
}
