import { ApiProperty } from '@nestjs/swagger';
import {
  LINE_STATUSES,
  LINE_VIOLATION_CODES,
  PRICE_SOURCES,
  PROMOTION_CODE_STATUSES,
} from '../../domain/quote.js';
import type { IssuedQuote } from '../../application/quotes/quote.service.js';
import { TraceEntryResponse } from './trace-entry.response.js';

export class QuantityBreakResponse {
  @ApiProperty({ example: 'BASE-USD' })
  priceList: string;

  @ApiProperty({ description: "The break's minimum, in `uom`", example: '12' })
  minQuantity: string;

  @ApiProperty({ example: 'EA' })
  uom: string;

  @ApiProperty({
    description: 'The same minimum in the base UoM (what the line was compared with)',
    example: '12',
  })
  minBaseQuantity: string;

  @ApiProperty({ example: 'EA' })
  baseUom: string;
}

export class AppliedPromotionResponse {
  @ApiProperty({ example: 'SPRING-10' })
  code: string;

  @ApiProperty({ example: 'Spring sale: 10% off fasteners' })
  description: string;

  @ApiProperty({ enum: ['PERCENT_OFF', 'AMOUNT_OFF', 'FIXED_PRICE'], example: 'PERCENT_OFF' })
  discountType: string;

  @ApiProperty({ description: 'Taken off the unit price, 4 decimals', example: '0.8550' })
  amountOff: string;
}

export class LineViolationResponse {
  @ApiProperty({ enum: LINE_VIOLATION_CODES, example: 'ITEM_NOT_FOUND' })
  code: string;

  @ApiProperty({ example: 'lines[2].sku' })
  field: string;

  @ApiProperty({ example: 'No item with SKU HX-9999 is known to the hub.' })
  message: string;
}

export class QuoteLineResponse {
  @ApiProperty({ example: 1 })
  lineNo: number;

  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({ example: '24' })
  quantity: string;

  @ApiProperty({ example: 'EA' })
  uom: string;

  @ApiProperty({ enum: LINE_STATUSES, example: 'PRICED' })
  status: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Per one priceUom; 4 decimals, rounded half-up once, at the end',
    example: '7.6950',
  })
  unitPrice: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: "unitPrice × quantity, rounded half-up to the currency's minor unit",
    example: '184.68',
  })
  extendedPrice: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'EA' })
  priceUom: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The price-book price before contract and promotions',
    example: '9.0000',
  })
  listPrice: string | null;

  @ApiProperty({ enum: PRICE_SOURCES, nullable: true, example: 'CONTRACT' })
  source: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'CT-000123' })
  sourceRef: string | null;

  @ApiProperty({ type: QuantityBreakResponse, nullable: true })
  quantityBreak: QuantityBreakResponse | null;

  @ApiProperty({ type: [AppliedPromotionResponse] })
  promotions: AppliedPromotionResponse[];

  @ApiProperty({
    type: [TraceEntryResponse],
    description:
      'Every candidate rule considered for this line, in precedence order, and why it won or lost',
  })
  trace: TraceEntryResponse[];

  @ApiProperty({ type: [LineViolationResponse], description: 'Why the line could not be priced' })
  violations: LineViolationResponse[];
}

export class PromotionCodeResponse {
  @ApiProperty({ example: 'SPRING-10' })
  code: string;

  @ApiProperty({ enum: PROMOTION_CODE_STATUSES, example: 'APPLIED' })
  status: string;
}

export class QuoteTotalsResponse {
  @ApiProperty({ example: 3 })
  lineCount: number;

  @ApiProperty({ example: 2 })
  pricedLineCount: number;

  @ApiProperty({ example: 1 })
  rejectedLineCount: number;

  @ApiProperty({ description: "Sum of the priced lines' extended prices", example: '514.68' })
  subtotal: string;
}

export class QuoteResponse {
  @ApiProperty({ format: 'uuid', example: '3b0e6c0e-2f4a-4d55-9d6e-5e0f1f6f2a10' })
  quoteId: string;

  @ApiProperty({ example: 'C10001' })
  customerId: string;

  @ApiProperty({ nullable: true, type: String, example: 'ST01' })
  shipToId: string | null;

  @ApiProperty({ example: 'USD' })
  currency: string;

  @ApiProperty({ format: 'date', example: '2026-05-13' })
  pricingDate: string;

  @ApiProperty({
    description:
      'A hash of every price record (and the customer and item data) this quote considered: the ' +
      'same version means the same data; it changes whenever any of it changes.',
    example: 'pv1_8f14e45fceea167a5a36dedd4bea2543',
  })
  priceVersion: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:00.000Z' })
  createdAt: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Order capture honours this quote id until then',
    example: '2026-05-13T10:30:00.000Z',
  })
  expiresAt: string;

  @ApiProperty({ type: [QuoteLineResponse] })
  lines: QuoteLineResponse[];

  @ApiProperty({ type: [PromotionCodeResponse] })
  promotionCodes: PromotionCodeResponse[];

  @ApiProperty({ type: QuoteTotalsResponse })
  totals: QuoteTotalsResponse;

  static from(quote: IssuedQuote): QuoteResponse {
    return {
      quoteId: quote.quoteId,
      customerId: quote.customerId,
      shipToId: quote.shipToId,
      currency: quote.currency,
      pricingDate: quote.pricingDate,
      priceVersion: quote.priceVersion,
      createdAt: quote.createdAt.toISOString(),
      expiresAt: quote.expiresAt.toISOString(),
      lines: quote.lines,
      promotionCodes: quote.promotionCodes,
      totals: quote.totals,
    };
  }
}
