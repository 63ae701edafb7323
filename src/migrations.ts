import { fulfillmentMigrations } from './modules/fulfillment/index.js';
import { inventoryMigrations } from './modules/inventory/index.js';
import { masterDataMigrations } from './modules/master-data/index.js';
import { ordersMigrations } from './modules/orders/index.js';
import { pricingMigrations } from './modules/pricing/index.js';
import { deltaSyncMigrations } from './platform/delta-sync/index.js';
import { platformMigrations } from './platform/database/migrations/index.js';

/**
 * Every migration of the hub database. Assembled here, in the composition root, because platform
 * code may not import business modules. Listed explicitly (not globbed) so the same list works from
 * compiled ESM, from jest and from the migration CLI; TypeORM orders them by their timestamps.
 */
export const hubMigrations = [
  ...platformMigrations,
  ...deltaSyncMigrations,
  ...masterDataMigrations,
  ...pricingMigrations,
  ...inventoryMigrations,
  ...ordersMigrations,
  ...fulfillmentMigrations,
];
