import { ERP_SCHEMA_TABLES, ErpSchema1764500000000 } from './1764500000000-erp-schema.js';
import {
  CUSTOMER_IMPORT_TABLES,
  ErpCustomerImport1796600000000,
} from './1796600000000-customer-import.js';
import {
  ErpTaxGroupsAndWebsite1796700000000,
  TAX_GROUP_TABLES,
} from './1796700000000-tax-groups-and-website.js';
import { ErpFulfillment1796800000000, FULFILLMENT_TABLES } from './1796800000000-fulfillment.js';

/**
 * Every migration of the on-prem ERP reference database, in order. Listed explicitly (as the
 * hub's are) and tracked in their own table, so they never mix with the hub's migrations.
 */
export const erpMigrations = [
  ErpSchema1764500000000,
  ErpCustomerImport1796600000000,
  ErpTaxGroupsAndWebsite1796700000000,
  ErpFulfillment1796800000000,
];

/** Every table of the reference ERP schema, across its migrations (each with trigger and delta index). */
export const ERP_TABLES: { table: string; key: string[] }[] = [
  ...ERP_SCHEMA_TABLES,
  ...CUSTOMER_IMPORT_TABLES,
  ...TAX_GROUP_TABLES,
  ...FULFILLMENT_TABLES,
];
