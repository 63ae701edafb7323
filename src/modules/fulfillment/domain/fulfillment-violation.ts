/** One reason a shipment or invoice does not fit its order (problem+json `violations[]`). */
export interface FulfillmentViolation {
  code: FulfillmentViolationCode;
  field: string;
  message: string;
}

export const FULFILLMENT_VIOLATION_CODES = [
  'LINE_NOT_ON_ORDER',
  'SKU_NOT_ON_ORDER',
  'SKU_DOES_NOT_MATCH_LINE',
  'AMBIGUOUS_SKU',
  'UOM_NOT_ON_LINE',
  'MIXED_SEGMENTS',
  'OVER_SHIPMENT',
  'OVER_INVOICE',
  'SERIAL_COUNT_MISMATCH',
  'DUPLICATE_SERIAL',
  'ORDER_CANCELLED',
] as const;
export type FulfillmentViolationCode = (typeof FULFILLMENT_VIOLATION_CODES)[number];
