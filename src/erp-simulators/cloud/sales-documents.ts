/*
 * The sales documents of the sandbox ERP as its tables hold them: orders (POST salesOrders),
 * and what posting makes of them (shipments, invoices, the fulfillment extension's
 * confirmations). Field names follow BC's; read through ./entity-views.ts.
 */

export interface SandboxAddress {
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  country: string;
  postCode: string;
}

export interface SandboxSalesOrder {
  number: string;
  externalDocumentNumber: string;
  orderDate: string;
  postingDate: string;
  customerId: string;
  customerNumber: string;
  customerName: string;
  billToCustomerId: string;
  billToCustomerNumber: string;
  billToName: string;
  shipToName: string;
  shipToContact: string;
  sellTo: SandboxAddress;
  billTo: SandboxAddress;
  shipTo: SandboxAddress;
  currencyId: string;
  currencyCode: string;
  paymentTermsId: string | null;
  shipmentMethodId: string | null;
  salesperson: string;
  partialShipping: boolean;
  requestedDeliveryDate: string | null;
  discountAmount: string;
  discountAppliedBeforeTax: boolean;
  totalAmountExcludingTax: string;
  totalTaxAmount: string;
  totalAmountIncludingTax: string;
  fullyShipped: boolean;
  status: 'Draft' | 'In Review' | 'Open';
  phoneNumber: string;
  email: string;
  shortcutDimension1Code: string;
  shortcutDimension2Code: string;
  lineIds: string[];
}

export interface SandboxSalesOrderLine {
  documentId: string;
  sequence: number;
  itemId: string;
  lineType: 'Item';
  lineObjectNumber: string;
  description: string;
  unitOfMeasureId: string;
  unitOfMeasureCode: string;
  quantity: string;
  unitPrice: string;
  discountAmount: string;
  discountPercent: string;
  discountAppliedBeforeTax: boolean;
  amountExcludingTax: string;
  taxCode: string;
  taxPercent: string;
  totalTaxAmount: string;
  amountIncludingTax: string;
  shipmentDate: string | null;
  shippedQuantity: string;
  invoicedQuantity: string;
  invoiceQuantity: string;
  shipQuantity: string;
  /**
   * The location (warehouse) the line ships from: real BC v2.0 salesOrderLines carry
   * `locationId` (the stored docs copy lacks it). Null = the customer's default location.
   */
  locationId: string | null;
  /** Stock the sandbox ERP allocated for this line (released when the order is deleted). */
  allocation: { balanceId: string; baseQuantity: string } | null;
}

/** Tracking fields of BC's Sales Shipment Header (not on the v2.0 API page, §5.8). */
export interface SandboxShipmentTracking {
  /** "Shipping Agent Code", Code[10]. */
  shippingAgentCode: string;
  /** "Shipping Agent Service Code", Code[10]. */
  shippingAgentServiceCode: string;
  /** "Package Tracking No.", Text[30]: BC's one tracking number per shipment. */
  packageTrackingNo: string;
  /** The crossdock extension's field for multi-package shipments: numbers, comma-separated. */
  packageTrackingNos: string;
  /** The crossdock extension's field: the carrier's tracking link, when known. */
  trackingUrl: string;
}

export interface SandboxSalesShipment extends SandboxShipmentTracking {
  number: string;
  /** Internal: the order posted from (the API shows only orderNumber). */
  orderId: string;
  orderNumber: string;
  externalDocumentNumber: string;
  postingDate: string;
  invoiceDate: string | null;
  dueDate: string | null;
  customerNumber: string;
  customerName: string;
  billToName: string;
  billToCustomerNumber: string;
  shipToName: string;
  shipToContact: string;
  sellTo: SandboxAddress;
  billTo: SandboxAddress;
  shipTo: SandboxAddress;
  currencyCode: string;
  paymentTermsCode: string;
  salesperson: string;
  phoneNumber: string;
  email: string;
  /** The crossdock extension's field: the hub shipment posted through shipmentConfirmations. */
  hubShipmentReference: string;
  lineIds: string[];
}

export interface SandboxSalesShipmentLine {
  documentId: string;
  documentNo: string;
  sequence: number;
  lineType: 'Item';
  lineObjectNumber: string;
  description: string;
  unitOfMeasureCode: string;
  unitPrice: string;
  quantity: string;
  discountPercent: string;
  taxPercent: string;
  shipmentDate: string;
}

export type SandboxInvoiceStatus =
  'Draft' | 'In Review' | 'Open' | 'Paid' | 'Canceled' | 'Corrective';

export interface SandboxSalesInvoice {
  number: string;
  orderId: string;
  orderNumber: string;
  externalDocumentNumber: string;
  invoiceDate: string;
  postingDate: string;
  dueDate: string;
  customerId: string;
  customerNumber: string;
  customerName: string;
  billToCustomerId: string;
  billToCustomerNumber: string;
  billToName: string;
  shipToName: string;
  shipToContact: string;
  sellTo: SandboxAddress;
  billTo: SandboxAddress;
  shipTo: SandboxAddress;
  currencyId: string;
  currencyCode: string;
  paymentTermsId: string | null;
  salesperson: string;
  discountAmount: string;
  totalAmountExcludingTax: string;
  totalTaxAmount: string;
  totalAmountIncludingTax: string;
  remainingAmount: string;
  status: SandboxInvoiceStatus;
  phoneNumber: string;
  email: string;
  lineIds: string[];
}

export interface SandboxSalesInvoiceLine {
  documentId: string;
  sequence: number;
  itemId: string;
  lineType: 'Item';
  lineObjectNumber: string;
  description: string;
  unitOfMeasureId: string;
  unitOfMeasureCode: string;
  quantity: string;
  unitPrice: string;
  discountAmount: string;
  discountPercent: string;
  amountExcludingTax: string;
  taxCode: string;
  taxPercent: string;
  totalTaxAmount: string;
  amountIncludingTax: string;
  shipmentDate: string | null;
}

/** A row of the crossdock extension's staging table behind `shipmentConfirmations`. */
export interface SandboxShipmentConfirmation extends SandboxShipmentTracking {
  hubShipmentReference: string;
  externalDocumentNumber: string;
  orderNumber: string;
  shipmentDate: string;
  status: 'Posted';
  shipmentNumber: string;
  shipmentId: string;
  lines: { sequence: number; quantity: string }[];
}

export interface ShipLine {
  sequence: number;
  quantity: string;
}

export interface PostShipmentOptions {
  postingDate?: string;
  tracking?: Partial<SandboxShipmentTracking>;
  hubShipmentReference?: string;
}
