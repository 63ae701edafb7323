import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import {
  type ErpOrderStatus,
  type ErpSalesOrderDocument,
  SalesOrderGateway,
  SalesOrderNotCancellableError,
  SalesOrderRejectedError,
  type SubmitResult,
} from '../../../../modules/orders/index.js';
import { type BcRow, CloudErpConnection } from '../cloud-erp.connection.js';
import { ErpHttpError } from '../http/index.js';
import {
  bcRejection,
  type BcShipTo,
  type BcShipToAddressRow,
  odataString,
  salesOrderBody,
  shipToFromAddressRow,
  shipToFromDocument,
} from './cloud-sales-order.mapper.js';

/** Decimals as strings in answers: quantities never pass through a JS number. */
const ACCEPT = 'application/json;IEEE754Compatible=true';

interface BcSalesOrder extends BcRow {
  number: string;
  externalDocumentNumber: string;
  fullyShipped: boolean;
  '@odata.etag'?: string;
}

interface BcSalesOrderLine extends BcRow {
  sequence: number;
  shippedQuantity: string | number;
}

/** How often cancel() starts over when the order changed between its look-up and its DELETE. */
const CANCEL_ATTEMPTS = 3;

/**
 * SalesOrderGateway over the cloud ERP (Business Central API v2.0 `salesOrders`).
 *
 * Exactly once: BC's `externalDocumentNumber` is not unique, so every submit looks the
 * reference up first and POSTs only when nothing has it. The POST itself is never retried
 * blindly (CloudErpHttpClient retries a create only when it provably did not reach the ERP):
 * a create whose answer was lost (timeout, dropped connection, the sandbox's commitThenDrop)
 * surfaces as a transient error, and the hub's retry of the whole submit() finds the order.
 *
 * BC creates synchronously: submit answers CREATED at once, or throws SalesOrderRejectedError
 * with BC's message. BC deletes a cancelled order (and, once fully posted, a shipped and
 * invoiced one): a reference whose order is gone reads NOT_FOUND, so here a second cancel()
 * answers NOT_FOUND, not CANCELLED.
 */
@Injectable()
export class CloudSalesOrderGateway extends SalesOrderGateway {
  readonly name = 'cloud';
  /** Location ids by code: locations are set up once and hardly ever change. */
  private readonly locationIds = new Map<string, string>();

  constructor(private readonly erp: CloudErpConnection) {
    super();
  }

  async submit(document: ErpSalesOrderDocument, signal?: AbortSignal): Promise<SubmitResult> {
    const ref = document.externalReference;
    const existing = await this.find(ref, signal);
    if (existing) return { ...created(ref, existing), created: false };
    const [locationId, shipTo] = await Promise.all([
      document.warehouseCode ? this.locationId(ref, document.warehouseCode, signal) : null,
      this.shipTo(document, signal),
    ]);
    const body = salesOrderBody(document, {
      localCurrency: this.erp.localCurrency,
      locationId,
      shipTo,
    });
    try {
      const res = await this.client().request<BcSalesOrder>({
        method: 'POST',
        path: `${await this.companyPath(signal)}/salesOrders`,
        body,
        headers: { accept: ACCEPT },
        // Never blindly: a lost answer is resolved by the next submit's look-up.
        retrySafe: false,
        signal,
      });
      return { ...created(ref, res.body), created: true };
    } catch (error) {
      const reason = bcRejection(error);
      if (reason) throw new SalesOrderRejectedError(ref, [reason]);
      throw error;
    }
  }

  async status(externalReference: string, signal?: AbortSignal): Promise<ErpOrderStatus> {
    const order = await this.find(externalReference, signal);
    return order ? created(externalReference, order) : notFound(externalReference);
  }

  async cancel(externalReference: string, signal?: AbortSignal): Promise<ErpOrderStatus> {
    const ref = externalReference;
    for (let attempt = 1; ; attempt++) {
      const order = await this.find(ref, signal);
      if (!order) return notFound(ref);
      await this.requireNothingShipped(ref, order, signal);
      try {
        await this.client().request<void>({
          method: 'DELETE',
          path: `${await this.companyPath(signal)}/salesOrders(${order.id})`,
          // The version the shipped check saw: an order changed since (shipped meanwhile) is
          // not deleted, the check runs again.
          headers: { 'if-match': order['@odata.etag'] ?? '*' },
          // A repeat of a delete that went through answers 404, which reads NOT_FOUND below.
          retrySafe: true,
          signal,
        });
        return { ...created(ref, order), state: 'CANCELLED' };
      } catch (error) {
        if (error instanceof ErpHttpError && error.status === 404) return notFound(ref);
        // BC answers Request_EntityChanged with 412 Precondition Failed (409 from older stand-ins).
        const changed =
          error instanceof ErpHttpError &&
          (error.status === 412 ||
            error.status === 409 ||
            error.erpCode === 'Request_EntityChanged');
        if (!changed || attempt >= CANCEL_ATTEMPTS) throw error;
      }
    }
  }

  /** The order with this externalDocumentNumber (the oldest number, should there be two). */
  private async find(ref: string, signal?: AbortSignal): Promise<BcSalesOrder | null> {
    const rows = await this.erp.all<BcSalesOrder>(
      'standard',
      'salesOrders',
      {
        filter: `externalDocumentNumber eq ${odataString(ref)}`,
        select: ['id', 'number', 'externalDocumentNumber', 'fullyShipped'],
      },
      100,
      signal,
    );
    // BC compares case-insensitively on some collations: the hub's reference must match exactly.
    const matches = rows.filter((r) => r.externalDocumentNumber === ref);
    matches.sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }));
    return matches[0] ?? null;
  }

  private async requireNothingShipped(
    ref: string,
    order: BcSalesOrder,
    signal?: AbortSignal,
  ): Promise<void> {
    if (order.fullyShipped) {
      throw new SalesOrderNotCancellableError(ref, `ERP order ${order.number} is fully shipped`);
    }
    const lines = await this.erp.all<BcSalesOrderLine>(
      'standard',
      'salesOrderLines',
      { filter: `documentId eq ${order.id}`, select: ['id', 'sequence', 'shippedQuantity'] },
      1000,
      signal,
    );
    const shipped = lines.filter((l) => new Decimal(l.shippedQuantity || 0).greaterThan(0));
    if (shipped.length > 0) {
      throw new SalesOrderNotCancellableError(
        ref,
        `ERP order ${order.number} has shipped lines (${shipped
          .map((l) => `line ${l.sequence}: ${String(l.shippedQuantity)}`)
          .join(', ')})`,
      );
    }
  }

  /** The `locations` id of a warehouse code; an unknown code can never be delivered from. */
  private async locationId(ref: string, code: string, signal?: AbortSignal): Promise<string> {
    const cached = this.locationIds.get(code);
    if (cached) return cached;
    const { rows } = await this.erp.page<BcRow & { code: string }>(
      'standard',
      'locations',
      { filter: `code eq ${odataString(code)}`, select: ['id', 'code'] },
      2,
      signal,
    );
    const id = rows.find((r) => r.code === code)?.id;
    if (!id) {
      throw new SalesOrderRejectedError(ref, [`Location ${code} does not exist in the ERP`]);
    }
    this.locationIds.set(code, id);
    return id;
  }

  /**
   * BC v2.0 salesOrder has ship-to address fields but no ship-to code: a code is resolved to
   * the customer's address on the custom `shipToAddresses` page; a one-time address goes as is.
   */
  private async shipTo(
    document: ErpSalesOrderDocument,
    signal?: AbortSignal,
  ): Promise<BcShipTo | null> {
    const shipTo = document.shipTo;
    if (shipTo?.kind !== 'code') return shipToFromDocument(document);
    const { rows } = await this.erp.page<BcRow & BcShipToAddressRow & { code: string }>(
      'custom',
      'shipToAddresses',
      {
        filter: `customerNumber eq ${odataString(document.customerNo)} and code eq ${odataString(shipTo.code)}`,
      },
      2,
      signal,
    );
    const row = rows.find((r) => r.code === shipTo.code);
    if (!row) {
      throw new SalesOrderRejectedError(document.externalReference, [
        `Ship-to ${shipTo.code} does not exist for customer ${document.customerNo}`,
      ]);
    }
    return shipToFromAddressRow(row);
  }

  private companyPath(signal?: AbortSignal): Promise<string> {
    return this.erp.companyPath('standard', signal);
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

function created(externalReference: string, order: BcSalesOrder): ErpOrderStatus {
  return { externalReference, state: 'CREATED', erpOrderNumber: order.number, errors: [] };
}

function notFound(externalReference: string): ErpOrderStatus {
  return { externalReference, state: 'NOT_FOUND', erpOrderNumber: null, errors: [] };
}
