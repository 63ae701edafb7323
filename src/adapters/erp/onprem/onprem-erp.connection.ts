import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { DeltaFeedHealth } from '../../../platform/delta-sync/index.js';
import { describeError, type ErpLogger, SILENT_ERP_LOGGER } from '../shared/erp-logger.js';
import type { ErpCallObserver } from '../shared/erp-metrics.js';
import type { OnPremErpSimulator, RunningOnPremErpSimulation } from './onprem-erp-simulator.js';

/** One SQL statement on the ERP connection a read runs on; pg-style rows. */
export interface OnPremSql {
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface OnPremErpConnectionOptions {
  /** The ERP database; null when there is none to connect to (offline app graph). */
  url: string | null;
  /**
   * Demo and test mode only: the simulated ERP behind the demo database (prepared and its import
   * jobs run on start). Never set for a real ERP database.
   */
  simulator?: OnPremErpSimulator;
  logger?: ErpLogger;
  onCall?: ErpCallObserver;
  /** The longest a page read may run in the ERP database (default 60 s). */
  statementTimeoutMs?: number;
}

/** A health check answers within a couple of seconds (MasterDataFeed rule 9). */
const HEALTH_TIMEOUT_MS = 2000;

/**
 * The on-prem ERP adapters' own connection to the ERP's database: a small pg pool, apart from
 * the hub's DataSource. Reads run in REPEATABLE READ READ ONLY transactions, so the positions
 * and the rows of one page come from one snapshot. Shared by every on-prem port adapter.
 *
 * In the demo case (ERP_ONPREM_DATABASE_URL unset) a simulator is bound (OnPremErpSimulator):
 * it prepares the demo database on start and plays the ERP's import jobs. A real ERP database is
 * never migrated; the hub writes to it only through `write()` (staging rows and cancellations).
 */
export class OnPremErpConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly pool: pg.Pool | null;
  private readonly logger: ErpLogger;
  private simulation: RunningOnPremErpSimulation | null = null;

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
    if (this.options.simulator) {
      this.simulation = await this.options.simulator.start(this.options.url, this.logger);
    }
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
    await this.simulation?.stop();
    this.simulation = null;
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
}
