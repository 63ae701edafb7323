import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { DeltaFeedHealth } from '../../../platform/delta-sync/index.js';
import { describeError, type ErpLogger, SILENT_ERP_LOGGER } from '../shared/erp-logger.js';
import type { ErpCallObserver } from '../shared/erp-metrics.js';
import {
  prepareOnPremErpDatabase,
  processCustomerImports,
  processSalesOrderImports,
} from './schema/index.js';

/** One SQL statement on the ERP connection a read runs on; pg-style rows. */
export interface OnPremSql {
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface OnPremErpConnectionOptions {
  /** The ERP database; null when there is none to connect to (offline app graph). */
  url: string | null;
  /** The demo database: created, migrated and loaded with the demo dataset on start. */
  demo: boolean;
  /** Demo dataset scale when the demo database is prepared (default 1). */
  demoScale?: number;
  logger?: ErpLogger;
  onCall?: ErpCallObserver;
  /** The longest a page read may run in the ERP database (default 60 s). */
  statementTimeoutMs?: number;
  /**
   * Demo database only: how often the simulated ERP import job runs (default 1000 ms; 0 = off).
   * Ignored for a real ERP database, whose own scheduler runs its import job.
   */
  importIntervalMs?: number;
}

/** A health check answers within a couple of seconds (MasterDataFeed rule 9). */
const HEALTH_TIMEOUT_MS = 2000;
/** How often the demo ERP's simulated import job runs by default. */
const DEFAULT_IMPORT_INTERVAL_MS = 1000;
/** Demo databases already prepared by this process (one preparation per database). */
const preparedDemos = new Map<string, Promise<void>>();

/**
 * The on-prem ERP adapters' own connection to the ERP's database: a small pg pool, apart from
 * the hub's DataSource. Reads run in REPEATABLE READ READ ONLY transactions, so the positions
 * and the rows of one page come from one snapshot. Shared by every on-prem port adapter.
 *
 * In the demo case (ERP_ONPREM_DATABASE_URL unset) the database is prepared on start: created,
 * migrated and loaded with the demo dataset unless it already holds ERP data, and a simulated
 * ERP import job runs on it (see startDemoImportJob). A real ERP database is never migrated; the
 * hub writes to it only through `write()` (sales-order staging rows and cancellations).
 */
export class OnPremErpConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly pool: pg.Pool | null;
  private readonly logger: ErpLogger;
  private importTimer: NodeJS.Timeout | null = null;
  private importRun: Promise<void> | null = null;
  private importFailing = false;
  private stopped = false;

  constructor(private readonly options: OnPremErpConnectionOptions) {
    this.logger = options.logger ?? SILENT_ERP_LOGGER;
    this.pool = options.url
      ? new pg.Pool({
          connectionString: options.url,
          max: 4,
          idleTimeoutMillis: 30_000,
          connectionTimeoutMillis: 5000,
          statement_timeout: options.statementTimeoutMs ?? 60_000,
          application_name: 'crossdock-erp-adapter',
        })
      : null;
    // An idle connection that dies (ERP restart) must not take the hub down: the next read
    // gets a new one, and the readiness check reports the outage meanwhile.
    this.pool?.on('error', (error) =>
      this.logger.warn({ err: describeError(error) }, 'on-prem ERP connection lost'),
    );
  }

  /** The database name, for health details and logs (never the host or credentials). */
  get database(): string | null {
    if (!this.options.url) return null;
    return decodeURIComponent(new URL(this.options.url).pathname.replace(/^\//, ''));
  }

  async onModuleInit(): Promise<void> {
    if (!this.pool || !this.options.url) return;
    if (this.options.demo) await this.prepareDemo(this.options.url);
    if (this.options.demo) this.startDemoImportJob();
    const health = await this.healthCheck();
    if (health.up) {
      this.logger.info({ database: this.database }, 'on-prem ERP database reachable');
    } else {
      this.logger.warn(
        { database: this.database, ...health.details },
        'on-prem ERP database not reachable at start; reads fail until it is',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.importTimer) clearTimeout(this.importTimer);
    this.importTimer = null;
    await this.importRun;
    await this.pool?.end();
  }

  /** Runs `work` in one read-only snapshot of the ERP database. */
  async read<T>(work: (sql: OnPremSql) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    const sql = this.observed(client);
    try {
      await sql.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Page queries aggregate a few tables per page: JIT compiling them costs more than it
      // saves, and a sort that spills to disk makes a full sync crawl. Local to this snapshot.
      await sql.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
      const result = await work(sql);
      await sql.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `work` in one READ COMMITTED read-write transaction (the sales-order writes: staging
   * rows, cancellations). Rolled back on any error; statements counted like the reads.
   */
  async write<T>(work: (sql: OnPremSql) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    const sql = this.observed(client);
    try {
      await sql.query('BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE');
      const result = await work(sql);
      await sql.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Up when the ERP database answers a query on the tables the adapters read. */
  async healthCheck(): Promise<DeltaFeedHealth> {
    const details = { adapter: 'onprem', database: this.database };
    if (!this.pool) return { up: false, details: { ...details, reason: 'not connected' } };
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const check = this.read((sql) => sql.query('SELECT 1 FROM in_warehouse LIMIT 1'));
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS);
      });
      // A check that times out still finishes in the background; its error must not go unhandled.
      check.catch(() => undefined);
      await Promise.race([check, timeout]);
      return { up: true, details: { ...details, ms: Date.now() - started } };
    } catch (error) {
      this.logger.warn({ err: describeError(error) }, 'on-prem ERP health check failed');
      return { up: false, details: { ...details, reason: 'ERP database unreachable' } };
    } finally {
      clearTimeout(timer);
    }
  }

  /** SQL on one client, every statement counted in the ERP call metrics. */
  private observed(client: pg.PoolClient): OnPremSql {
    return {
      query: async <R>(text: string, params?: unknown[]) => {
        try {
          const result = await client.query(text, params);
          this.options.onCall?.('ok');
          return result.rows as R[];
        } catch (error) {
          this.options.onCall?.('error');
          throw error;
        }
      },
    };
  }

  /**
   * DEMO DATABASE ONLY. A real on-prem ERP runs its own sales-order import job on its own
   * scheduler; the embedded demo ERP has no scheduler, so without this loop nothing the hub
   * stages would ever be IMPORTED. This simulates that ERP-side job: it is never started
   * against a real ERP database (`demo: false`), and tests with their own ERP database call
   * `processSalesOrderImports()` themselves. Runs do not overlap; failures are logged, never
   * thrown.
   */
  private startDemoImportJob(): void {
    const interval = this.options.importIntervalMs ?? DEFAULT_IMPORT_INTERVAL_MS;
    if (interval <= 0 || !this.pool || this.importTimer || this.stopped) return;
    const pool = this.pool;
    const schedule = (): void => {
      if (this.stopped) return;
      this.importTimer = setTimeout(() => {
        this.importRun = this.runDemoImport(pool).finally(() => {
          this.importRun = null;
          schedule();
        });
      }, interval);
      // The simulated ERP job must never keep the process alive on its own.
      this.importTimer.unref();
    };
    schedule();
    this.logger.info(
      { database: this.database, intervalMs: interval },
      'demo on-prem ERP: simulated sales-order import job started',
    );
  }

  private async runDemoImport(pool: pg.Pool): Promise<void> {
    try {
      const result = await processSalesOrderImports(pool);
      // The same simulated ERP job applies staged customer updates (master-data write-back).
      const customers = await processCustomerImports(pool);
      if (customers.imported.length > 0 || customers.failed.length > 0) {
        this.logger.info(
          {
            database: this.database,
            imported: customers.imported.length,
            failed: customers.failed.length,
          },
          'demo on-prem ERP: import job processed customer updates',
        );
      }
      if (result.imported.length > 0 || result.failed.length > 0) {
        this.logger.info(
          {
            database: this.database,
            imported: result.imported.length,
            failed: result.failed.length,
          },
          'demo on-prem ERP: import job processed sales-order imports',
        );
      }
      this.importFailing = false;
    } catch (error) {
      // Once per outage, not once a second.
      if (!this.importFailing) {
        this.logger.warn(
          { err: describeError(error), database: this.database },
          'demo on-prem ERP: import job run failed; retried at every interval',
        );
      }
      this.importFailing = true;
    }
  }

  private async analyze(): Promise<void> {
    const client = await this.connect();
    try {
      await client.query('ANALYZE');
    } finally {
      client.release();
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    if (!this.pool) throw new Error('The on-prem ERP connection is not configured.');
    try {
      return await this.pool.connect();
    } catch (error) {
      this.options.onCall?.('error');
      throw new Error(`The on-prem ERP database is unreachable (${describeError(error)}).`, {
        cause: error,
      });
    }
  }

  private async prepareDemo(url: string): Promise<void> {
    let preparing = preparedDemos.get(url);
    if (!preparing) {
      preparing = (async () => {
        const started = Date.now();
        const result = await prepareOnPremErpDatabase(url, {
          scale: this.options.demoScale ?? 1,
          logger: this.logger,
        });
        // A bulk load leaves the planner without statistics until autovacuum comes round; the
        // page queries need them (an ERP in use has them). Only our own demo database.
        if (result.demoDataLoaded) await this.analyze();
        this.logger.info(
          {
            database: this.database,
            created: result.databaseCreated,
            migrations: result.migrations.length,
            demoDataLoaded: result.demoDataLoaded,
            ms: Date.now() - started,
          },
          result.demoDataLoaded
            ? 'demo on-prem ERP database loaded with the demo dataset'
            : 'demo on-prem ERP database ready',
        );
      })();
      preparedDemos.set(url, preparing);
      // A failed preparation is retried by the next start, not remembered.
      preparing.catch(() => preparedDemos.delete(url));
    }
    try {
      await preparing;
    } catch (error) {
      this.logger.error(
        { err: describeError(error), database: this.database },
        'could not prepare the demo on-prem ERP database; ERP reads will fail',
      );
    }
  }
}
