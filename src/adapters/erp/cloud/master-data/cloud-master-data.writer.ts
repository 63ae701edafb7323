import { Injectable } from '@nestjs/common';
import {
  type ErpCustomerFieldsWrite,
  type ErpShipToWrite,
  MasterDataWriter,
  type ShipTo,
} from '../../../../modules/master-data/index.js';
import { PermanentJobError } from '../../../../platform/jobs/index.js';
import { type BcApi, type BcRow, CloudErpConnection } from '../cloud-erp.connection.js';
import { ErpHttpError } from '../http/index.js';
import { odataString } from '../orders/cloud-sales-order.mapper.js';

type CustomerFields = ErpCustomerFieldsWrite['fields'];

/** Customer fields the hub may write back and the standard BC `customers` property each one is. */
const CUSTOMER_PROPERTIES: Partial<Record<keyof CustomerFields, string>> = {
  name: 'displayName',
  email: 'email',
  phone: 'phoneNumber',
};

/** BC keeps two address lines (addressLine1, addressLine2). */
const BC_ADDRESS_LINES = 2;

/** A BC record to change: where it lives, its ETag, its current values. */
interface BcTarget {
  api: BcApi;
  entitySet: string;
  row: BcRow;
}

/** The ERP changed a property we write between our read and our PATCH (Request_EntityChanged). */
export class ErpWriteConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ErpWriteConflictError';
  }
}

/**
 * MasterDataWriter over Business Central API v2.0. Customer contact fields are PATCHed on the
 * standard `customers` entity; ship-tos, which standard v2.0 has no entity for, through the same
 * custom page the feed reads them from (`shipToAddresses`: PATCH when the code exists, else POST).
 *
 * Every PATCH carries `If-Match` with the ETag just read, and only the properties that differ
 * (a repeat of a write that went through changes nothing). On `Request_EntityChanged` (BC: 412;
 * older sandboxes 409) the record is read again and the write re-decided:
 * - it already holds our values → done (an earlier attempt got through);
 * - a property we write changed in the ERP since we read it → PermanentJobError
 *   `ERP_WRITE_CONFLICT`: someone edited a CRM-owned field in the ERP at the same moment, and a
 *   data steward decides (exception queue) instead of the hub silently overwriting it;
 * - only other properties changed → PATCH once more with the fresh ETag; another conflict is a
 *   plain error, retried by the job with backoff.
 * An unknown customer, a missing ship-to page, or a field BC has no property for are permanent.
 */
@Injectable()
export class CloudMasterDataWriter extends MasterDataWriter {
  constructor(private readonly erp: CloudErpConnection) {
    super();
  }

  async writeCustomerFields(write: ErpCustomerFieldsWrite, signal?: AbortSignal): Promise<void> {
    const desired: Record<string, string> = {};
    for (const [field, value] of Object.entries(write.fields)) {
      const property = CUSTOMER_PROPERTIES[field as keyof CustomerFields];
      if (!property) {
        throw new PermanentJobError(
          `Customer field '${field}' has no writable Business Central customer property.`,
          { code: 'ERP_WRITE_UNSUPPORTED' },
        );
      }
      desired[property] = value === null || value === undefined ? '' : String(value);
    }
    const read = (): Promise<BcTarget> => this.customer(write.customerErpId, signal);
    await this.patch(await read(), desired, read, signal);
  }

  async writeShipTo(write: ErpShipToWrite, signal?: AbortSignal): Promise<void> {
    const customer = await this.customer(write.customerErpId, signal);
    const desired = shipToBody(write.shipTo);
    const read = async (): Promise<BcTarget | null> => {
      const rows = await this.onShipToPage(() =>
        this.erp.page(
          'custom',
          'shipToAddresses',
          {
            filter: `customerId eq ${customer.row.id} and code eq ${odataString(write.shipTo.code)}`,
          },
          1,
          signal,
        ),
      );
      const row = rows.rows[0];
      return row ? { api: 'custom', entitySet: 'shipToAddresses', row } : null;
    };
    const existing = await read();
    if (existing) {
      await this.patch(existing, desired, async () => (await read()) ?? existing, signal);
      return;
    }
    // Create. Not retried blindly by the client (a lost answer may hide a created row): the
    // job's next attempt looks the code up first and PATCHes what it finds.
    await this.onShipToPage(async () =>
      this.requireClient().request({
        method: 'POST',
        path: `${await this.erp.companyPath('custom', signal)}/shipToAddresses`,
        body: { customerId: customer.row.id, ...desired },
        signal,
      }),
    );
  }

  /** The BC customer with this number, or a permanent failure when the ERP has none. */
  private async customer(number: string, signal?: AbortSignal): Promise<BcTarget> {
    const page = await this.erp.page(
      'standard',
      'customers',
      { filter: `number eq ${odataString(number)}` },
      1,
      signal,
    );
    const row = page.rows[0];
    if (!row) {
      throw new PermanentJobError(`The cloud ERP has no customer ${number}.`, {
        code: 'ERP_CUSTOMER_UNKNOWN',
      });
    }
    return { api: 'standard', entitySet: 'customers', row };
  }

  private async patch(
    seen: BcTarget,
    desired: Record<string, string>,
    reread: () => Promise<BcTarget>,
    signal?: AbortSignal,
  ): Promise<void> {
    const first = differing(seen.row, desired);
    if (Object.keys(first).length === 0) return;
    try {
      await this.send(seen, first, signal);
      return;
    } catch (error) {
      if (!isEntityChanged(error)) throw error;
    }
    const fresh = await reread();
    const now = differing(fresh.row, desired);
    if (Object.keys(now).length === 0) return;
    const changedInErp = Object.keys(desired).filter(
      (property) => text(fresh.row[property]) !== text(seen.row[property]),
    );
    if (changedInErp.length > 0) {
      throw new PermanentJobError(
        `${seen.entitySet} ${String(seen.row.id)}: ${changedInErp.join(', ')} changed in the ERP while the hub wrote it back; a data steward decides which value stands.`,
        { code: 'ERP_WRITE_CONFLICT' },
      );
    }
    try {
      await this.send(fresh, now, signal);
    } catch (error) {
      if (!isEntityChanged(error)) throw error;
      throw new ErpWriteConflictError(
        `${seen.entitySet} ${String(seen.row.id)} keeps changing in the ERP; the write is retried.`,
      );
    }
  }

  private async send(
    target: BcTarget,
    body: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<void> {
    const etag = target.row['@odata.etag'];
    if (typeof etag !== 'string' || etag === '') {
      throw new Error(`The cloud ERP sent ${target.entitySet} ${target.row.id} without an ETag.`);
    }
    const path = `${await this.erp.companyPath(target.api, signal)}/${target.entitySet}(${target.row.id})`;
    await this.requireClient().request({
      method: 'PATCH',
      path,
      body,
      headers: { 'if-match': etag },
      // With If-Match a repeat cannot apply twice: safe to retry after a transient failure.
      retrySafe: true,
      signal,
    });
  }

  /** Runs a call on the ship-to page; a page the tenant lacks is a permanent, named failure. */
  private async onShipToPage<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (
        !this.erp.customPageAvailable('shipToAddresses') ||
        (error instanceof ErpHttpError && error.erpCode === 'BadRequest_ResourceNotFound')
      ) {
        throw new PermanentJobError(
          'Ship-to write-back needs the custom API page shipToAddresses, which this Business Central tenant does not have (standard API v2.0 has no ship-to entity).',
          { code: 'ERP_WRITE_UNSUPPORTED', cause: error },
        );
      }
      throw error;
    }
  }

  private requireClient(): NonNullable<CloudErpConnection['client']> {
    if (!this.erp.client) {
      throw new Error('The cloud ERP is not configured: master data cannot be written back.');
    }
    return this.erp.client;
  }
}

function shipToBody(shipTo: ShipTo): Record<string, string> {
  if (shipTo.addressLines.length > BC_ADDRESS_LINES) {
    throw new PermanentJobError(
      `Ship-to ${shipTo.code} has ${shipTo.addressLines.length} address lines; Business Central keeps ${BC_ADDRESS_LINES}.`,
      { code: 'ERP_WRITE_UNSUPPORTED' },
    );
  }
  return {
    code: shipTo.code,
    name: shipTo.name,
    addressLine1: shipTo.addressLines[0] ?? '',
    addressLine2: shipTo.addressLines[1] ?? '',
    city: shipTo.city,
    state: shipTo.region ?? '',
    postalCode: shipTo.postalCode ?? '',
    country: shipTo.country,
    taxAreaCode: shipTo.taxAreaCode ?? '',
    locationCode: shipTo.defaultWarehouseCode ?? '',
  };
}

function differing(row: BcRow, desired: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(desired).filter(([property, value]) => text(row[property]) !== value),
  );
}

function isEntityChanged(error: unknown): boolean {
  return (
    error instanceof ErpHttpError &&
    (error.erpCode === 'Request_EntityChanged' || error.status === 412 || error.status === 409)
  );
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
