import { MasterData1764400500000 } from './infrastructure/migrations/1764400500000-master-data.js';
import { MasterDataGovernance1764400600000 } from './infrastructure/migrations/1764400600000-master-data-governance.js';
import { MasterDataTaxAndAddressFields1765200000000 } from './infrastructure/migrations/1765200000000-master-data-tax-and-address-fields.js';
import { MasterDataRunsOnDeltaSync1765300000000 } from './infrastructure/migrations/1765300000000-master-data-runs-on-delta-sync.js';
/** The public API of the master-data module: other modules and ERP adapters import only this. */
export { MasterDataModule } from './master-data.module.js';

// The ERP port and its contract (ERP adapters implement it).
// Its request, page and entry types are the shared ones of src/platform/delta-sync (DeltaPage…).
export { MasterDataFeed, type MasterDataRecords } from './application/ports/master-data.feed.js';

// The ERP port for master-data write-back (ERP adapters implement it; bound by ErpAdapterModule).
export {
  MasterDataWriter,
  type ErpCustomerFieldsWrite,
  type ErpShipToWrite,
} from './application/ports/master-data.writer.js';

// Governance: the system-of-record matrix, and the change events published from the audit trail.
export {
  CONFLICT_RULES,
  GOVERNED_ENTITIES,
  SOURCE_SYSTEMS,
  type ConflictRule,
  type FieldOwnership,
  type GovernedEntity,
  type SourceSystem,
  type SystemOfRecord,
} from './domain/system-of-record.js';
export {
  CustomerChanged,
  type MasterDataChange,
} from './application/events/customer-changed.event.js';
export { ItemChanged } from './application/events/item-changed.event.js';
export type { FieldChange, FieldValue } from './domain/field-state.js';
export {
  ERP_WRITE_BACK_EXCEPTION,
  ERP_WRITE_BACK_JOB,
} from './application/governance/erp-write-back.job.js';

// Canonical master data.
export {
  CUSTOMER_STATUSES,
  checkCustomer,
  type Customer,
  type CustomerAddress,
  type CustomerStatus,
  type ShipTo,
} from './domain/customer.js';
export {
  FULFILLMENT_TYPES,
  ITEM_STATUSES,
  checkItem,
  type FulfillmentType,
  type Item,
  type ItemStatus,
  type UomConversion,
} from './domain/item.js';
export { checkWarehouse, type Warehouse } from './domain/warehouse.js';
export type { PostalAddress } from './domain/postal-address.js';
export { MASTER_DATA_KINDS, type MasterDataKind } from './domain/master-data-kind.js';
export type { Synced } from './domain/synced.js';

// Use cases other modules may run through the CommandBus / QueryBus.
export { MASTER_DATA_SYNC_JOB } from './application/commands/sync-master-data/master-data-sync.schedule.js';
export {
  MASTER_DATA_SYNC,
  SyncMasterDataCommand,
} from './application/commands/sync-master-data/sync-master-data.command.js';
export { GetCustomerQuery } from './application/queries/get-customer/get-customer.query.js';
export { GetItemQuery } from './application/queries/get-item/get-item.query.js';
export { GetItemsQuery } from './application/queries/get-items/get-items.query.js';
export { GetWarehousesQuery } from './application/queries/get-warehouses/get-warehouses.query.js';
export {
  ListCustomerChangesQuery,
  type CustomerChangesPage,
} from './application/queries/list-customer-changes/list-customer-changes.query.js';
export {
  ListItemChangesQuery,
  type ItemChangesPage,
} from './application/queries/list-item-changes/list-item-changes.query.js';

/** This module's schema migrations, assembled into the hub list by src/migrations.ts. */
export const masterDataMigrations = [
  MasterData1764400500000,
  MasterDataGovernance1764400600000,
  MasterDataTaxAndAddressFields1765200000000,
  MasterDataRunsOnDeltaSync1765300000000,
];
export { isFractionOfCountedUnit, uomAllowsFractions } from './domain/unit-of-measure.js';
