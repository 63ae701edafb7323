import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type ErpCustomerFieldsWrite,
  type ErpShipToWrite,
  MasterDataWriter,
  type ShipTo,
} from '../../../../modules/master-data/index.js';
import { PermanentJobError } from '../../../../platform/jobs/index.js';
import { OnPremErpConnection } from '../onprem-erp.connection.js';

type CustomerFields = ErpCustomerFieldsWrite['fields'];

/** Customer fields the hub may write back and the ar_customer column each one is. */
const CUSTOMER_COLUMNS: Partial<Record<keyof CustomerFields, string>> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
};

/** ar_ship_to keeps two address lines. */
const ERP_ADDRESS_LINES = 2;
/** ar_customer_import.change_id is varchar(64). */
const CHANGE_ID_LENGTH = 64;

/** The change is staged and the ERP's import job has not applied it yet: the job checks again. */
export class ErpImportPendingError extends Error {
  constructor(readonly changeId: string) {
    super(`change ${changeId} is staged in ar_customer_import; the ERP has not imported it yet`);
    this.name = 'ErpImportPendingError';
  }
}

/**
 * MasterDataWriter over the on-prem ERP's own import path, as sales orders go: one row per change
 * in the staging table `ar_customer_import` (keyed by the change's requestId, so a repeated write
 * inserts nothing), which the ERP's import job applies to ar_customer / ar_ship_to or marks
 * ERROR. The writer never touches the master tables itself.
 *
 * A write is done only when the ERP imported it: while the row is NEW the writer throws
 * ErpImportPendingError (the durable job retries, re-checking the same row); an ERROR row is a
 * PermanentJobError with the ERP's reason (exception queue). An unknown customer or a field the
 * ERP has no column for is permanent before anything is staged.
 */
@Injectable()
export class OnPremMasterDataWriter extends MasterDataWriter {
  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  async writeCustomerFields(write: ErpCustomerFieldsWrite, signal?: AbortSignal): Promise<void> {
    const changes: Record<string, string | null> = {};
    for (const [field, value] of Object.entries(write.fields)) {
      const column = CUSTOMER_COLUMNS[field as keyof CustomerFields];
      if (!column) {
        throw new PermanentJobError(
          `Customer field '${field}' has no column the on-prem ERP imports.`,
          { code: 'ERP_WRITE_UNSUPPORTED' },
        );
      }
      changes[column] = value === null || value === undefined ? null : String(value);
    }
    await this.stage(write.customerErpId, null, changes, write.requestId, signal);
  }

  async writeShipTo(write: ErpShipToWrite, signal?: AbortSignal): Promise<void> {
    await this.stage(
      write.customerErpId,
      write.shipTo.code,
      shipToColumns(write.shipTo),
      write.requestId,
      signal,
    );
  }

  private async stage(
    customerNo: string,
    shipToCode: string | null,
    changes: Record<string, string | null>,
    requestId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    signal?.throwIfAborted();
    const changeId =
      requestId.length <= CHANGE_ID_LENGTH
        ? requestId
        : createHash('sha256').update(requestId).digest('hex');
    const state = await this.erp.write(async (sql) => {
      const known = await sql.query('SELECT 1 FROM ar_customer WHERE customer_no = $1', [
        customerNo,
      ]);
      if (known.length === 0) return null;
      await sql.query(
        `INSERT INTO ar_customer_import (change_id, customer_no, ship_to_code, changes)
         VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (change_id) DO NOTHING`,
        [changeId, customerNo, shipToCode, JSON.stringify(changes)],
      );
      const row = await sql.query<{ status: string; error_text: string | null }>(
        'SELECT status, error_text FROM ar_customer_import WHERE change_id = $1',
        [changeId],
      );
      return row[0];
    });
    if (state === null) {
      throw new PermanentJobError(`The on-prem ERP has no customer ${customerNo}.`, {
        code: 'ERP_CUSTOMER_UNKNOWN',
      });
    }
    if (state.status === 'IMPORTED') return;
    if (state.status === 'ERROR') {
      throw new PermanentJobError(
        `The on-prem ERP refused change ${changeId}: ${state.error_text ?? 'no reason given'}`,
        { code: 'ERP_IMPORT_REFUSED' },
      );
    }
    throw new ErpImportPendingError(changeId);
  }
}

function shipToColumns(shipTo: ShipTo): Record<string, string | null> {
  if (shipTo.addressLines.length > ERP_ADDRESS_LINES) {
    throw new PermanentJobError(
      `Ship-to ${shipTo.code} has ${shipTo.addressLines.length} address lines; the on-prem ERP keeps ${ERP_ADDRESS_LINES}.`,
      { code: 'ERP_WRITE_UNSUPPORTED' },
    );
  }
  return {
    name: shipTo.name,
    address_line1: shipTo.addressLines[0] ?? null,
    address_line2: shipTo.addressLines[1] ?? null,
    city: shipTo.city,
    state: shipTo.region,
    postal_code: shipTo.postalCode,
    country_code: shipTo.country,
    tax_area_code: shipTo.taxAreaCode,
    warehouse_code: shipTo.defaultWarehouseCode,
  };
}
