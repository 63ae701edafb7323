import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';

/** Decimal string > 0 with up to 12 integer digits and 6 decimals. */
const QUANTITY = /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,6})?$/;

export class QuoteLineRequest {
  @ApiProperty({ description: 'Item SKU', example: 'ABR-10015', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  sku: string;

  @ApiProperty({
    description: 'Quantity in `uom`: a decimal string greater than 0, at most 6 decimals',
    example: '24',
    pattern: QUANTITY.source,
  })
  @IsString()
  @Matches(QUANTITY, {
    message: 'quantity must be a decimal string greater than 0 (max 6 decimals)',
  })
  quantity: string;

  @ApiProperty({
    description: 'Unit of measure of the quantity (any unit the item converts; case-insensitive)',
    example: 'EA',
    maxLength: 20,
  })
  @IsString()
  @Length(1, 20)
  uom: string;
}

export class CreateQuoteRequest {
  @ApiProperty({ description: 'ERP customer number', example: 'C10001', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  customerId: string;

  @ApiPropertyOptional({
    description: "One of the customer's ship-to codes (checked; prices do not depend on it)",
    example: 'ST01',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  shipToId?: string;

  @ApiPropertyOptional({
    description:
      "ISO 4217 code. Default: the customer's invoicing currency; any other currency is refused " +
      '(422 CURRENCY_MISMATCH).',
    example: 'USD',
    pattern: '^[A-Z]{3}$',
  })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency?: string;

  @ApiPropertyOptional({
    description:
      'Calendar date the validity of contracts, price books and promotions is checked on ' +
      '(inclusive). Default: today in the hub’s pricing time zone (PRICING_TIME_ZONE, UTC).',
    example: '2026-05-13',
    format: 'date',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'pricingDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'pricingDate must be a valid calendar date' })
  pricingDate?: string;

  @ApiPropertyOptional({
    description: 'Promotion codes the customer entered (case-insensitive)',
    example: ['SPRING-10'],
    type: [String],
    maxItems: 20,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  promotionCodes?: string[];

  @ApiProperty({ type: [QuoteLineRequest], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  // ValidateNested alone lets a line that is an array through (it validates its elements: none).
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => QuoteLineRequest)
  lines: QuoteLineRequest[];
}
