import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../../domain/customer.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,4})?$/;
const SOURCE_UPDATED_AT =
  'When the calling system changed this data (ISO 8601 with offset). Fields under the ' +
  'accept-latest rule apply only when it is later than the time of the stored value; absent = now.';

/** The customer's own address, whole (the parts left out are cleared). */
export class CustomerAddressRequest {
  @ApiProperty({ type: [String], example: ['4410 Commerce Dr', 'Suite 300'], maxItems: 4 })
  @IsArray()
  @ArrayMaxSize(4)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  addressLines: string[];

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Columbus', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'OH', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  region: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '43215', maxLength: 20 })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode: string | null;

  @ApiPropertyOptional({
    description: 'ISO 3166-1 alpha-2',
    nullable: true,
    type: String,
    example: 'US',
  })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string | null;
}

/**
 * A channel's change to a customer: any subset of the fields. Each field is decided on its own
 * under the system-of-record matrix (GET /v1/admin/ownership); `null` clears a field.
 */
export class PatchCustomerRequest {
  @ApiPropertyOptional({ example: 'Acme Hardware Inc.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'C10001', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  parentId?: string | null;

  @ApiPropertyOptional({ enum: CUSTOMER_STATUSES, example: 'ACTIVE' })
  @IsOptional()
  @IsIn(CUSTOMER_STATUSES)
  status?: CustomerStatus;

  @ApiPropertyOptional({ nullable: true, type: String, example: '30000.00' })
  @IsOptional()
  @Matches(DECIMAL, { message: 'creditLimit must be a decimal string' })
  creditLimit?: string | null;

  @ApiPropertyOptional({ type: String, example: '1834.50' })
  @IsOptional()
  @Matches(DECIMAL, { message: 'balanceDue must be a decimal string' })
  balanceDue?: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'NET30', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  paymentTerms?: string | null;

  @ApiPropertyOptional({ example: 'USD', minLength: 3, maxLength: 3 })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(3)
  currency?: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'US-OH', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxAreaCode?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: null, maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxExemptionNumber?: string | null;

  @ApiPropertyOptional({ type: Boolean, example: true })
  @IsOptional()
  @IsBoolean()
  taxLiable?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'https://www.acme.example',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  website?: string | null;

  @ApiPropertyOptional({ type: CustomerAddressRequest, nullable: true })
  @IsOptional()
  // ValidateNested alone lets an array through (it validates each element, of which [] has none).
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerAddressRequest)
  address?: CustomerAddressRequest | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'orders@acme.example',
    maxLength: 254,
  })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '+1 614 555 0199', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string | null;

  @ApiPropertyOptional({
    description: SOURCE_UPDATED_AT,
    format: 'date-time',
    example: '2026-05-13T10:15:30.123Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'sourceUpdatedAt must be an ISO 8601 date-time with an offset' })
  sourceUpdatedAt?: string;
}

/** A ship-to a channel adds (new code) or changes (existing code) for a customer. */
export class ShipToRequest {
  @ApiProperty({ description: 'Ship-to code, unique per customer', example: 'DOCK-7' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @Matches(/^\S+$/, { message: 'code must not contain spaces' })
  code: string;

  @ApiProperty({ example: 'Acme Hardware, Dock 7' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ type: [String], example: ['77 Harbor Rd'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @Type(() => String)
  addressLines: string[];

  @ApiProperty({ example: 'Toledo' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  city: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'OH' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '43604' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string | null;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'US' })
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'EAST' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  defaultWarehouseCode?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'US-OH' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxAreaCode?: string | null;

  @ApiPropertyOptional({
    description: SOURCE_UPDATED_AT,
    format: 'date-time',
    example: '2026-05-13T10:15:30.123Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'sourceUpdatedAt must be an ISO 8601 date-time with an offset' })
  sourceUpdatedAt?: string;
}

export class DecideProposalRequest {
  @ApiProperty({
    description: "The steward's reason, kept with the decision",
    example: 'Address verified with the customer by phone',
    maxLength: 1000,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}
