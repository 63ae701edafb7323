import pg from 'pg';
import { DataSource } from 'typeorm';
import { generateDemoDataset } from '../demo-data/index.js';
import { erpDataSourceOptions } from './erp-data-source.js';
import { isDemoDatasetLoaded, loadDemoDataset } from './load-demo-dataset.js';

/** The subset of a pino logger (or the platform's PinoLogger) this module writes to. */
export interface ErpPrepareLogger {
  info(fields: object, message: string): void;
}

export interface PrepareOnPremErpDatabaseOptions {
  /** Demo dataset seed (default: the dataset's default seed). */
  seed?: number;
  /** Demo dataset scale (default 1). */
  scale?: number;
  /** False: create and migrate only, load no demo data (default true). */
  loadDemoData?: boolean;
  logger?: ErpPrepareLogger;
}

export interface PrepareOnPremErpDatabaseResult {
  /** The database did not exist and was created. */
  databaseCreated: boolean;
  /** Names of the ERP migrations this call ran. */
  migrations: string[];
  /** True when the demo dataset was loaded by this call. */
  demoDataLoaded: boolean;
  counts: Record<string, number>;
}

/**
 * Makes the on-prem ERP database ready: creates it on the server if missing, runs the ERP
 * schema migrations, and loads the demo dataset if the database holds no ERP data yet.
 * Safe to call on every start (the second call only checks).
 */
export async function prepareOnPremErpDatabase(
  url: string,
  options: PrepareOnPremErpDatabaseOptions = {},
): Promise<PrepareOnPremErpDatabaseResult> {
  const databaseCreated = await ensureDatabaseExists(url);
  const dataSource = new DataSource(erpDataSourceOptions(url));
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    const migrations = ran.map((m) => m.name);
    const result = { databaseCreated, migrations, demoDataLoaded: false, counts: {} };
    if (options.loadDemoData === false || (await isDemoDatasetLoaded(dataSource))) return result;
    const generated = Date.now();
    const dataset = generateDemoDataset({ seed: options.seed, scale: options.scale });
    options.logger?.info(
      { seed: dataset.seed, scale: dataset.scale, ms: Date.now() - generated },
      'ERP demo dataset generated',
    );
    const loaded = await loadDemoDataset(dataSource, dataset, {
      onTable: (table, rows) => options.logger?.info({ table, rows }, 'ERP table loaded'),
    });
    return { ...result, demoDataLoaded: loaded.loaded, counts: loaded.counts };
  } finally {
    await dataSource.destroy();
  }
}

/** Creates the URL's database through the server's `postgres` database; true if it created it. */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`The ERP database URL names no database: ${target.host}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      return true;
    } catch (error) {
      // Another process created it between the check and the CREATE.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Drops the URL's database (closing its sessions); for `erp:seed --reset` and tests. */
export async function dropDatabaseIfExists(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
