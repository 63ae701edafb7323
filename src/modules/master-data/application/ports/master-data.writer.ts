import type { CustomerFields } from '../../domain/customer-update.js';
import type { ShipTo } from '../../domain/customer.js';

/** A ship-to the hub accepted (a steward approved it) and the ERP must now hold. */
export interface ErpShipToWrite {
  customerErpId: string;
  /** The whole ship-to as the hub now holds it. */
  shipTo: ShipTo;
  /** Stable across retries of this write: an adapter can use it to recognise a repeat. */
  requestId: string;
}

/** Customer fields the ERP keeps too (contacts owned by the CRM), as the hub now holds them. */
export interface ErpCustomerFieldsWrite {
  customerErpId: string;
  fields: Partial<CustomerFields>;
  requestId: string;
}

/**
 * The ERP port for master-data write-back: changes the hub accepted to data the ERP keeps as
 * well (the matrix marks such fields `erpWriteBack`). Implemented by both ERP adapters (on-prem:
 * the ERP's import staging table `ar_customer_import`; cloud: POST, or PATCH with If-Match) and
 * bound by ErpAdapterModule. Contract: test/contracts/master-data-writer.contract.ts.
 *
 * Called from the durable job `master-data.write-to-erp`, so at least once per change: a write
 * must be safe to repeat (`requestId`). A thrown error is retried with backoff; throw
 * PermanentJobError (src/platform/jobs) when retrying cannot help (codes used by the adapters:
 * ERP_CUSTOMER_UNKNOWN, ERP_WRITE_UNSUPPORTED, ERP_WRITE_CONFLICT — an ERP user changed a field
 * being written at the same moment —, ERP_IMPORT_REFUSED). Either way a write that
 * finally fails becomes an exception record, never a silent divergence.
 */
export abstract class MasterDataWriter {
  abstract writeShipTo(write: ErpShipToWrite, signal?: AbortSignal): Promise<void>;
  abstract writeCustomerFields(write: ErpCustomerFieldsWrite, signal?: AbortSignal): Promise<void>;
}
