import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { OrderRequest } from '../../application/order-planner.js';

/** Decimal string > 0 with up to 12 integer digits and 6 decimals. */
const QUANTITY = /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,6})?$/;
/** Decimal string ≥ 0 with up to 4 decimals. */
const PRICE = /^\d{1,15}(\.\d{1,4})?$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._:/#-]*$/;

@ValidatorConstraint({ name: 'uniqueLineRefs' })
class UniqueLineRefs implements ValidatorConstraintInterface {
  validate(lines: unknown): boolean {
    if (!Array.isArray(lines)) return true;
    const refs = lines.map((l) => (l as { lineRef?: unknown })?.lineRef);
    return new Set(refs).size === refs.length;
  }
  defaultMessage(): string {
    return 'every line needs its own lineRef';
  }
}

@ValidatorConstraint({ name: 'oneShipTo' })
class OneShipTo implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    const o = args.object as { shipToId?: unknown; shipToAddress?: unknown };
    return o.shipToId === undefined || o.shipToAddress === undefined;
  }
  defaultMessage(): string {
    return 'give either shipToId or shipToAddress, not both';
  }
}

export class OneTimeAddressRequest {
  @ApiProperty({ description: 'Recipient', example: 'Acme Plumbing – Site 7', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '1200 Industrial Pkwy', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  addressLine1: string;

  @ApiPropertyOptional({ example: 'Dock 4', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  addressLine2?: string;

  @ApiProperty({ example: 'Reno', maxLength: 50 })
  @IsString()
  @Length(1, 50)
  city: string;

  @ApiPropertyOptional({ description: 'State / province / region', example: 'NV', maxLength: 30 })
  @IsOptional()
  @IsString()
  @Length(1, 30)
  region?: string;

  @ApiProperty({ example: '89502', maxLength: 20 })
  @IsString()
  @Length(1, 20)
  postalCode: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'US', pattern: '^[A-Z]{2}$' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as US' })
  country: string;
}

export class CaptureOrderLineRequest {
  @ApiProperty({
    description: "The channel's reference of the line, unique within the order",
    example: '1',
    maxLength: 64,
  })
  @IsString()
  @Length(1, 64)
  lineRef: string;

  @ApiProperty({ description: 'Item SKU', example: 'ABR-10015', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  sku: string;

  @ApiProperty({
    description:
      'Quantity in `uom`: a decimal string greater than 0, at most 6 decimals; a whole number ' +
      'for units counted in pieces (EA, PCS, CS, BOX, PL…), else 422 QUANTITY_NOT_DIVISIBLE',
    example: '24',
    pattern: QUANTITY.source,
  })
  @IsString()
  @Matches(QUANTITY, {
    message: 'quantity must be a decimal string greater than 0 (max 6 decimals)',
  })
  quantity: string;

  @ApiProperty({
    description: 'Unit of measure (any unit the item converts to; case-insensitive)',
    example: 'EA',
    maxLength: 20,
  })
  @IsString()
  @Length(1, 20)
  uom: string;

  @ApiPropertyOptional({
    description:
      'The unit price per `uom` the channel showed the buyer. Checked against the ERP price ' +
      "(pricing engine) within the channel's tolerance; a difference is PRICE_MISMATCH.",
    example: '4.2500',
    pattern: PRICE.source,
  })
  @IsOptional()
  @IsString()
  @Matches(PRICE, { message: 'expectedUnitPrice must be a decimal string with at most 4 decimals' })
  expectedUnitPrice?: string;
}

export class CaptureOrderRequest {
  @ApiProperty({
    description:
      "The channel's own order reference (web order number, EDI PO control number, marketplace " +
      'order id). Unique per channel: a second order with it is refused with 409 ' +
      'ORDER_ALREADY_EXISTS and a link to the first.',
    example: 'WEB-100234',
    maxLength: 64,
    pattern: REF.source,
  })
  @IsString()
  @Length(1, 64)
  @Matches(REF, {
    message: 'channelOrderRef must start with a letter or digit and use A-Z a-z 0-9 . _ : / # -',
  })
  channelOrderRef: string;

  @ApiProperty({ description: 'ERP customer number', example: 'C10001', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  customerId: string;

  @ApiPropertyOptional({
    description:
      "One of the customer's ship-to codes. Omit both this and shipToAddress to ship to the customer's default address.",
    example: 'ST01',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Validate(OneShipTo)
  shipToId?: string;

  @ApiPropertyOptional({
    description: 'A one-time delivery address (drop shipment to an end customer, job site)',
    type: OneTimeAddressRequest,
  })
  @IsOptional()
  // ValidateNested alone lets an array through (it validates each element, of which [] has none).
  @IsObject()
  @ValidateNested()
  @Type(() => OneTimeAddressRequest)
  shipToAddress?: OneTimeAddressRequest;

  @ApiPropertyOptional({
    description: "The buyer's purchase order number",
    example: 'PO-88231',
    maxLength: 35,
  })
  @IsOptional()
  @IsString()
  @Length(1, 35)
  poNumber?: string;

  @ApiPropertyOptional({
    description:
      "Requested ship date; not before today in the hub's business time zone (else 422 " +
      'REQUESTED_DATE_IN_PAST)',
    example: '2026-12-03',
    format: 'date',
  })
  @IsOptional()
  @Matches(DATE, { message: 'requestedShipDate must be a date YYYY-MM-DD' })
  requestedShipDate?: string;

  @ApiPropertyOptional({
    description:
      "ISO 4217 code; default the customer's invoicing currency (another one is refused: CURRENCY_NOT_ACCEPTED)",
    example: 'USD',
    pattern: '^[A-Z]{3}$',
  })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency?: string;

  @ApiPropertyOptional({
    description: 'Promotion codes the buyer entered',
    example: ['SPRING10'],
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  promotionCodes?: string[];

  @ApiPropertyOptional({
    description: 'Delivery notes for the ERP order',
    example: 'Call before delivery',
    maxLength: 1000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  notes?: string;

  @ApiProperty({ type: [CaptureOrderLineRequest], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CaptureOrderLineRequest)
  @Validate(UniqueLineRefs)
  lines: CaptureOrderLineRequest[];
}

/** The validated body as the application layer takes it (plain data, explicit nulls). */
export function toOrderRequest(body: CaptureOrderRequest): OrderRequest {
  const address = body.shipToAddress;
  return {
    channelOrderRef: body.channelOrderRef,
    customerId: body.customerId,
    shipToId: body.shipToId ?? null,
    shipToAddress: address
      ? {
          name: address.name,
          addressLine1: address.addressLine1,
          addressLine2: address.addressLine2 ?? null,
          city: address.city,
          region: address.region ?? null,
          postalCode: address.postalCode,
          country: address.country,
        }
      : null,
    poNumber: body.poNumber ?? null,
    requestedShipDate: body.requestedShipDate ?? null,
    currency: body.currency ?? null,
    notes: body.notes ?? null,
    promotionCodes: body.promotionCodes ?? null,
    lines: body.lines.map((l) => ({
      lineRef: l.lineRef,
      sku: l.sku,
      quantity: l.quantity,
      uom: l.uom,
      expectedUnitPrice: l.expectedUnitPrice ?? null,
    })),
  };
}
