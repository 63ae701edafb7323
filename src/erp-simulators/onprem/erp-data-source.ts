import type { DataSourceOptions } from 'typeorm';
import { erpMigrations } from './migrations/index.js';

/** The ERP database tracks its own migrations, apart from the hub's `schema_migrations`. */
export const ERP_MIGRATIONS_TABLE = 'erp_schema_migrations';

/**
 * DataSource options for the on-prem ERP reference database: never `synchronize`, migrations
 * from the explicit list. The on-prem adapter may use the same options for its own connection.
 */
export function erpDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: erpMigrations,
    migrationsTableName: ERP_MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: 'crossdock-erp',
    extra: { max: 5, connectionTimeoutMillis: 5000 },
  };
}
