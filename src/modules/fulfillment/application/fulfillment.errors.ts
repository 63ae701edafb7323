import { ApplicationError } from '../../../platform/errors/index.js';
import type { FulfillmentViolation } from '../domain/fulfillment-violation.js';

/** The fulfillment module's expected failures (CONVENTIONS rule 4), mapped to problem+json. */
export const FulfillmentErrors = {
  /** Unknown order, or one this channel does not ship (answered alike: no probing). */
  orderNotFound: (reference: string): ApplicationError =>
    new ApplicationError(
      'ORDER_NOT_FOUND',
      `No order ${reference} that this channel ships.`,
      'not-found',
    ),
  rejected: (violations: FulfillmentViolation[]): ApplicationError =>
    new ApplicationError(
      'SHIPMENT_REJECTED',
      `The shipment does not fit its order: ${violations.length} violation(s); nothing was stored.`,
      'unprocessable',
      { violations },
    ),
  documentReused: (sourceDocumentId: string, shipmentId: string): ApplicationError =>
    new ApplicationError(
      'SOURCE_DOCUMENT_REUSED',
      `Shipment document ${sourceDocumentId} was already confirmed with different content; send a correction under a new document id.`,
      'unprocessable',
      {
        violations: [
          {
            code: 'SOURCE_DOCUMENT_REUSED',
            field: 'sourceDocumentId',
            message: 'this document id was confirmed before with other content',
          },
        ],
        extensions: { shipmentId, href: `/v1/shipments/${shipmentId}` },
      },
    ),
  notInErp: (externalReference: string): ApplicationError =>
    new ApplicationError(
      'ORDER_NOT_IN_ERP',
      `Order ${externalReference} is not in the ERP yet; confirm the shipment again shortly.`,
      'conflict',
      { headers: { 'retry-after': '30' } },
    ),
  shipmentNotFound: (id: string): ApplicationError =>
    new ApplicationError('SHIPMENT_NOT_FOUND', `No shipment ${id}.`, 'not-found'),
  invoiceNotFound: (id: string): ApplicationError =>
    new ApplicationError('INVOICE_NOT_FOUND', `No invoice ${id}.`, 'not-found'),
  erpAdapterUnavailable: (): ApplicationError =>
    new ApplicationError(
      'ERP_ADAPTER_UNAVAILABLE',
      'No ERP adapter is bound: shipments and invoices cannot be read from the ERP.',
      'unavailable',
    ),
};
