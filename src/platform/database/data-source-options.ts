import type { DataSourceOptions } from 'typeorm';

export const MIGRATIONS_TABLE = 'schema_migrations';

/** Shared by the app's DataSource and the migration CLI; never `synchronize`. */
export function hubDataSourceOptions(
  url: string,
  migrations: NonNullable<DataSourceOptions['migrations']>,
  pool: { max: number; timeoutMs: number } = { max: 20, timeoutMs: 5000 },
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: 'crossdock',
    extra: { max: pool.max, connectionTimeoutMillis: pool.timeoutMs },
  };
}
