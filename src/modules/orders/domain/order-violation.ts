/** Business-rule codes order capture reports, each with a stable meaning channels can code against. */
export const ORDER_VIOLATION_CODES = [
  'CUSTOMER_NOT_FOUND',
  'CUSTOMER_INACTIVE',
  'CUSTOMER_BLOCKED',
  'SHIP_TO_INVALID',
  'TAX_ATTRIBUTES_MISSING',
  'CURRENCY_NOT_ACCEPTED',
  'ITEM_NOT_FOUND',
  'ITEM_NOT_SELLABLE',
  'UOM_NOT_CONVERTIBLE',
  'QUANTITY_NOT_DIVISIBLE',
  'REQUESTED_DATE_IN_PAST',
  'NO_PRICE',
  'PRICE_MISMATCH',
  'INSUFFICIENT_AVAILABILITY',
  'CREDIT_LIMIT_EXCEEDED',
] as const;
export type OrderViolationCode = (typeof ORDER_VIOLATION_CODES)[number];

export const isOrderViolationCode = (value: string): value is OrderViolationCode =>
  (ORDER_VIOLATION_CODES as readonly string[]).includes(value);

/** One broken rule: `field` points into the request (`lines[2].sku`). */
export interface OrderViolation {
  code: OrderViolationCode;
  field: string;
  message: string;
  /** ITEM_NOT_SELLABLE: SKUs the ERP names as substitutes. */
  substitutes?: string[];
}
