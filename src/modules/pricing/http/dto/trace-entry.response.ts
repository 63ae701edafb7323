import { ApiProperty } from '@nestjs/swagger';
import { TRACE_OUTCOMES, TRACE_REASONS, TRACE_RULES } from '../../domain/quote.js';

/**
 * One rule the pricing engine considered for a line: the trace of POST /v1/pricing/quotes, and
 * the trace an order line was priced with (orders import it through the pricing index.ts).
 */
export class TraceEntryResponse {
  @ApiProperty({ enum: TRACE_RULES, example: 'CONTRACT' })
  rule: string;

  @ApiProperty({
    description: 'Contract number, price-list code or promotion code',
    example: 'CT-000123',
  })
  ref: string;

  @ApiProperty({
    enum: TRACE_OUTCOMES,
    description:
      'WON: set the price before promotions. BASIS: gave the list price a percent-off contract ' +
      'discounted. APPLIED: a quantity break or promotion that changed the price. LOST: ' +
      'applicable, but another rule took precedence. NOT_APPLICABLE / NOT_REACHED: did not apply.',
    example: 'WON',
  })
  outcome: string;

  @ApiProperty({ enum: TRACE_REASONS, example: 'HIGHEST_PRECEDENCE' })
  reason: string;

  @ApiProperty({ required: false, description: 'Account the rule belongs to', example: 'C10001' })
  account?: string;

  @ApiProperty({
    required: false,
    description: "The candidate's unit price per price UoM, when it could be computed",
    example: '8.5000',
  })
  unitPrice?: string;

  @ApiProperty({
    required: false,
    description: 'Quantity breaks: minimum, in `uom`',
    example: '24',
  })
  minQuantity?: string;

  @ApiProperty({ required: false, example: 'EA' })
  uom?: string;

  @ApiProperty({
    example:
      'Contract CT-000123 of parent account C10001 sets the price: the customer has no applicable contract of its own.',
  })
  detail: string;
}
