import { ApiProperty } from '@nestjs/swagger';
import {
  FULFILLMENT_TYPES,
  type FulfillmentType,
  ITEM_STATUSES,
  type Item,
  type ItemStatus,
} from '../../domain/item.js';
import type { Synced } from '../../domain/synced.js';

export class UomConversionResponse {
  @ApiProperty({ example: 'BX' })
  uom: string;

  @ApiProperty({
    description: 'Base units in one of this unit, exact (decimal string)',
    example: '12',
  })
  factor: string;
}

export class ItemResponse {
  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({ example: 'Hex bolt M8x40, black oxide' })
  description: string;

  @ApiProperty({ description: 'Unit stock and prices are kept in', example: 'EA' })
  baseUom: string;

  @ApiProperty({
    type: [UomConversionResponse],
    description: 'Every sellable unit; the base unit first, with factor "1"',
    example: [
      { uom: 'EA', factor: '1' },
      { uom: 'BX', factor: '12' },
    ],
  })
  uomConversions: UomConversionResponse[];

  @ApiProperty({ nullable: true, type: String, example: 'FASTENERS' })
  itemGroup: string | null;

  @ApiProperty({
    enum: ITEM_STATUSES,
    description: 'ACTIVE sellable; DISCONTINUED not replenished; BLOCKED must not be sold',
    example: 'ACTIVE',
  })
  status: ItemStatus;

  @ApiProperty({
    enum: FULFILLMENT_TYPES,
    description: 'STOCK ships from our warehouses; DROP_SHIP from the supplier',
    example: 'STOCK',
  })
  fulfillmentType: FulfillmentType;

  @ApiProperty({
    description: 'Vendor that ships drop-ship orders',
    nullable: true,
    type: String,
    example: null,
  })
  supplierId: string | null;

  @ApiProperty({ example: false })
  lotControlled: boolean;

  @ApiProperty({ type: [String], description: 'SKUs that may be offered instead', example: [] })
  substitutes: string[];

  @ApiProperty({
    description: 'GTIN (EAN / UPC) of the base unit, check digit verified',
    nullable: true,
    type: String,
    example: '0614141000036',
  })
  gtin: string | null;

  @ApiProperty({
    description:
      "The ERP's tax group: with the destination's tax area it decides the tax the ERP charges",
    nullable: true,
    type: String,
    example: 'MATERIALS',
  })
  taxGroupCode: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:30.123Z' })
  sourceModifiedAt: string;

  @ApiProperty({
    description: 'When the hub last wrote its copy (what `changedSince` filters on)',
    format: 'date-time',
    example: '2026-05-13T10:17:02.456Z',
  })
  syncedAt: string;

  static from({ value: i, sourceModifiedAt, syncedAt }: Synced<Item>): ItemResponse {
    return {
      sku: i.sku,
      description: i.description,
      baseUom: i.baseUom,
      uomConversions: i.uomConversions.map((u) => ({ uom: u.uom, factor: u.factor })),
      itemGroup: i.itemGroup,
      status: i.status,
      fulfillmentType: i.fulfillmentType,
      supplierId: i.supplierId,
      lotControlled: i.lotControlled,
      substitutes: [...i.substitutes],
      gtin: i.gtin,
      taxGroupCode: i.taxGroupCode,
      sourceModifiedAt: sourceModifiedAt.toISOString(),
      syncedAt: syncedAt.toISOString(),
    };
  }
}

export class ItemPageResponse {
  @ApiProperty({ type: [ItemResponse] })
  items: ItemResponse[];

  @ApiProperty({
    description:
      'Always present. While `hasMore` is true it fetches the next page. When `hasMore` is ' +
      'false you have every item up to now: keep the cursor and call again later to receive ' +
      'only items written since.',
    example: 'eyJ2IjoxLCJzIjpudWxsLCJxIjoiNDIiLCJrIjoiSFgtMjA0MC1CTEsifQ',
  })
  nextCursor: string;

  @ApiProperty({ description: 'More items are available right now', example: false })
  hasMore: boolean;
}
