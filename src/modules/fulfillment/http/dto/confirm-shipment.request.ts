import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { ShipmentConfirmation } from '../../application/commands/confirm-shipment/confirm-shipment.command.js';

/** Decimal string > 0 with up to 12 integer digits and 6 decimals. */
const QUANTITY = /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,6})?$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9 ._:/#-]*$/;

export class ShipmentLineRequest {
  @ApiPropertyOptional({
    description:
      'The order line shipped (`lines[].lineNo` of the order). Or give `lineRef`; or neither, and the SKU names the line',
    example: 1,
    minimum: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  lineNo?: number;

  @ApiPropertyOptional({ description: "The channel's line reference", example: '1', maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  lineRef?: string;

  @ApiProperty({
    description: "SKU shipped: must be the line's SKU",
    example: 'ABR-10015',
    maxLength: 100,
  })
  @IsString()
  @Length(1, 100)
  sku: string;

  @ApiProperty({
    description: 'Quantity shipped, decimal string > 0, in `uom`',
    example: '1',
    pattern: QUANTITY.source,
  })
  @IsString()
  @Matches(QUANTITY, {
    message: 'quantity must be a decimal string greater than 0 (max 6 decimals)',
  })
  quantity: string;

  @ApiPropertyOptional({
    description: "The line's ordered UoM (default) or the item's base UoM",
    example: 'BX',
    maxLength: 20,
  })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  uom?: string;

  @ApiPropertyOptional({
    description: 'Lot shipped (lot-controlled items)',
    example: 'L2026-118',
    maxLength: 30,
  })
  @IsOptional()
  @IsString()
  @Length(1, 30)
  @Matches(CODE, { message: 'lotNo must be printable letters, digits and . _ : / # -' })
  lotNo?: string;

  @ApiPropertyOptional({
    description: 'Serial numbers shipped (serialised items): one per base unit',
    type: [String],
    maxItems: 1000,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  serialNumbers?: string[];
}

export class ConfirmShipmentRequest {
  @ApiProperty({
    description:
      "The confirming system's own shipment document id. Confirmations are idempotent by it: the same confirmation again answers 200 with the shipment it created; the same id with other content is 422 SOURCE_DOCUMENT_REUSED",
    example: 'WMS-SHIP-000731',
    maxLength: 64,
  })
  @IsString()
  @Length(1, 64)
  @Matches(CODE, { message: 'sourceDocumentId must be printable letters, digits and . _ : / # -' })
  sourceDocumentId: string;

  @ApiProperty({
    description:
      'The order: the hub order id, its order number (XD…), the ERP order reference of a segment (XD…-1) or the ERP order number',
    example: 'XD1000002-1',
    maxLength: 64,
  })
  @IsString()
  @Length(1, 64)
  order: string;

  @ApiProperty({ description: 'The day it left the warehouse (YYYY-MM-DD)', example: '2026-12-07' })
  @IsString()
  @Matches(DATE, { message: 'shipDate must be a date YYYY-MM-DD' })
  shipDate: string;

  @ApiPropertyOptional({
    description: 'Carrier (shipping agent) code',
    example: 'UPS',
    maxLength: 50,
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  carrier?: string;

  @ApiPropertyOptional({ description: 'Carrier service', example: 'GROUND', maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  service?: string;

  @ApiPropertyOptional({
    description: 'Tracking numbers (one per package)',
    type: [String],
    example: ['1Z999AA10123456784'],
    maxItems: 50,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  trackingNumbers?: string[];

  @ApiPropertyOptional({
    description: 'Where the recipient follows the parcel',
    example: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true },
    { message: 'trackingUrl must be an http(s) URL' },
  )
  trackingUrl?: string;

  @ApiProperty({ type: [ShipmentLineRequest], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ShipmentLineRequest)
  lines: ShipmentLineRequest[];
}

export function toShipmentConfirmation(body: ConfirmShipmentRequest): ShipmentConfirmation {
  return {
    sourceDocumentId: body.sourceDocumentId,
    order: body.order,
    shipDate: body.shipDate,
    carrier: body.carrier,
    service: body.service,
    trackingNumbers: body.trackingNumbers,
    trackingUrl: body.trackingUrl,
    lines: body.lines.map((l) => ({
      lineNo: l.lineNo,
      lineRef: l.lineRef,
      sku: l.sku,
      quantity: l.quantity,
      uom: l.uom,
      lotNo: l.lotNo,
      serialNumbers: l.serialNumbers,
    })),
  };
}
