import { Injectable } from '@nestjs/common';
import {
  type ErpShipmentDocument,
  type ErpShipmentPosting,
  ShipmentGateway,
  ShipmentPostingUnsupportedError,
  ShipmentRejectedError,
} from '../../../../modules/fulfillment/index.js';
import { textOrNull } from '../../shared/canonical-fields.js';
import { type BcRow, CloudErpConnection, isMissingEntitySet } from '../cloud-erp.connection.js';
import { ErpHttpError } from '../http/index.js';
import { bcRejection, odataString, SEQUENCE_STEP } from '../orders/cloud-sales-order.mapper.js';

const CONFIRMATIONS = 'shipmentConfirmations';
/** Decimals as strings in answers: quantities never pass through a JS number. */
const ACCEPT = 'application/json;IEEE754Compatible=true';

/** BC field lengths on the Sales Shipment Header the confirmation writes. */
const AGENT_CODE_LENGTH = 10;
const TRACKING_NO_LENGTH = 30;
const TRACKING_NOS_LENGTH = 250;
const URL_LENGTH = 250;

interface BcShipmentConfirmation extends BcRow {
  hubShipmentReference: string;
  shipmentNumber: string;
  status: string;
}

/**
 * ShipmentGateway over the fulfillment extension's `shipmentConfirmations` page: standard BC
 * has no ship-only posting (its one order action, shipAndInvoice, also invoices, §5.6), so the
 * extension's page posts a ship-only shipment of the order and keeps the hub's reference as
 * its primary key.
 *
 * Exactly once: every post looks the reference up first and POSTs only when BC has none; the
 * POST is never retried blindly (a lost answer is found by the next post's look-up), and a
 * second POST of a reference BC already holds is refused by BC's key (found, not created).
 * BC posts synchronously: the answer is POSTED with the shipment number, or a 400 with BC's
 * posting error (ShipmentRejectedError). Without the page (404): ShipmentPostingUnsupportedError.
 */
@Injectable()
export class CloudShipmentGateway extends ShipmentGateway {
  readonly name = 'cloud';

  constructor(private readonly erp: CloudErpConnection) {
    super();
  }

  async post(document: ErpShipmentDocument, signal?: AbortSignal): Promise<ErpShipmentPosting> {
    const ref = document.shipmentReference;
    const existing = await this.find(ref, signal);
    if (existing) return posted(ref, existing, false);
    try {
      const res = await this.client().request<BcShipmentConfirmation>({
        method: 'POST',
        path: `${await this.erp.companyPath('fulfillment', signal)}/${CONFIRMATIONS}`,
        body: confirmationBody(document),
        headers: { accept: ACCEPT },
        // Never blindly: a lost answer is resolved by the next post's look-up.
        retrySafe: false,
        signal,
      });
      this.erp.customPageSeen(CONFIRMATIONS, true);
      return posted(ref, res.body, true);
    } catch (error) {
      if (isMissingEntitySet(error)) {
        this.erp.customPageSeen(CONFIRMATIONS, false);
        throw unsupported(ref);
      }
      // Another instance (or a lost answer's retry) posted it between our look-up and our POST.
      if (error instanceof ErpHttpError && error.erpCode === 'Internal_EntityWithSameKeyExists') {
        const found = await this.find(ref, signal);
        if (found) return posted(ref, found, false);
      }
      const reason = bcRejection(error);
      if (reason) throw new ShipmentRejectedError(ref, [reason]);
      throw error;
    }
  }

  async status(shipmentReference: string, signal?: AbortSignal): Promise<ErpShipmentPosting> {
    const found = await this.find(shipmentReference, signal);
    if (found) return posted(shipmentReference, found, false);
    return {
      shipmentReference,
      state: 'NOT_FOUND',
      erpShipmentNo: null,
      errors: [],
      created: false,
    };
  }

  /** The confirmation holding this reference (BC compares case-insensitively: exact match here). */
  private async find(ref: string, signal?: AbortSignal): Promise<BcShipmentConfirmation | null> {
    let rows: BcShipmentConfirmation[];
    try {
      rows = await this.erp.all<BcShipmentConfirmation>(
        'fulfillment',
        CONFIRMATIONS,
        {
          filter: `hubShipmentReference eq ${odataString(ref)}`,
          select: ['id', 'hubShipmentReference', 'shipmentNumber', 'status'],
        },
        10,
        signal,
      );
    } catch (error) {
      if (isMissingEntitySet(error)) throw unsupported(ref);
      throw error;
    }
    return rows.find((r) => r.hubShipmentReference === ref) ?? null;
  }

  private client(): NonNullable<CloudErpConnection['client']> {
    if (!this.erp.client) {
      throw new Error(
        'The cloud ERP is not configured: set CLOUD_ERP_BASE_URL, CLOUD_ERP_TOKEN_URL, CLOUD_ERP_CLIENT_ID and CLOUD_ERP_CLIENT_SECRET.',
      );
    }
    return this.erp.client;
  }
}

/**
 * The POST body. Lines name the order line by BC's sequence (the hub's line n is n × 10000, as
 * CloudSalesOrderGateway created it); quantities go as decimal strings. BC keeps a shipping
 * agent as a Code[10]: the carrier is upper-cased and cut to fit; all tracking numbers go in
 * the extension's list, the first also in BC's own "Package Tracking No.".
 */
export function confirmationBody(document: ErpShipmentDocument): Record<string, unknown> {
  const numbers = document.trackingNumbers.map((n) => n.trim()).filter((n) => n !== '');
  return {
    hubShipmentReference: document.shipmentReference,
    externalDocumentNumber: document.externalReference,
    orderNumber: document.erpOrderNumber,
    shipmentDate: document.shipDate,
    shippingAgentCode: agentCode(document.carrier),
    shippingAgentServiceCode: agentCode(document.service),
    packageTrackingNo: (numbers[0] ?? '').slice(0, TRACKING_NO_LENGTH),
    packageTrackingNos: numbers.join(',').slice(0, TRACKING_NOS_LENGTH),
    trackingUrl: (document.trackingUrl ?? '').slice(0, URL_LENGTH),
    lines: document.lines.map((line) => ({
      sequence: line.orderLineNo * SEQUENCE_STEP,
      quantity: line.quantity,
    })),
  };
}

function agentCode(value: string | null): string {
  return (textOrNull(value) ?? '').toUpperCase().replace(/\s+/g, '').slice(0, AGENT_CODE_LENGTH);
}

function posted(
  shipmentReference: string,
  row: BcShipmentConfirmation,
  created: boolean,
): ErpShipmentPosting {
  return {
    shipmentReference,
    state: 'POSTED',
    erpShipmentNo: textOrNull(row.shipmentNumber),
    errors: [],
    created,
  };
}

function unsupported(ref: string): ShipmentPostingUnsupportedError {
  return new ShipmentPostingUnsupportedError(
    ref,
    'Business Central has no ship-only posting in its standard API: install the crossdock fulfillment extension (shipmentConfirmations page)',
  );
}
