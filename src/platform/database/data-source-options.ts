import type { DataSourceOptions } from 'typeorm';
import { migrations } from './migrations/index.js';

export const MIGRATIONS_TABLE = 'schema_migrations';

/** Shared by the app's DataSource and the migration CLI; never `synchronize`. */
export function hubDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: 'crossdock',
    extra: { max: 20, connectionTimeoutMillis: 5000 },
  };
}
