import pg from 'pg';
import type {
  OnPremErpSimulator,
  RunningOnPremErpSimulation,
} from '../../adapters/erp/onprem/onprem-erp-simulator.js';
import type { ErpLogger } from '../../adapters/erp/shared/erp-logger.js';
import { processCustomerImports } from './customer-import-processor.js';
import { prepareOnPremErpDatabase } from './prepare-onprem-erp-database.js';
import { processSalesOrderImports } from './sales-order-import-processor.js';
import { processShipmentImports } from './shipment-import-processor.js';

export interface DemoOnPremErpOptions {
  /** Demo dataset scale when the database is loaded (default 1). */
  scale?: number;
  /** How often the simulated ERP import job runs (default 1000 ms; 0 = never). */
  importIntervalMs?: number;
}

/** Demo databases already prepared by this process (one preparation per database). */
const preparedDemos = new Map<string, Promise<void>>();

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const databaseOf = (url: string): string =>
  decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));

/**
 * The on-prem ERP simulator behind the demo database: prepares it (created, migrated, demo
 * dataset loaded unless it holds ERP data) and plays the ERP's own import job, which a real ERP
 * runs on its own scheduler: staged sales orders become ERP orders (or import errors), staged
 * customer updates are applied, staged shipments are posted (or import errors). Runs never
 * overlap; failures are logged, never thrown. Tests that need to control the import call
 * `processSalesOrderImports()` / `processShipmentImports()` themselves instead.
 */
export class DemoOnPremErp implements OnPremErpSimulator {
  constructor(private readonly options: DemoOnPremErpOptions = {}) {}

  async start(url: string, logger: ErpLogger): Promise<RunningOnPremErpSimulation> {
    await this.prepare(url, logger);
    return this.startImportJob(url, logger);
  }

  private async prepare(url: string, logger: ErpLogger): Promise<void> {
    const database = databaseOf(url);
    let preparing = preparedDemos.get(url);
    if (!preparing) {
      preparing = (async () => {
        const started = Date.now();
        const result = await prepareOnPremErpDatabase(url, {
          scale: this.options.scale ?? 1,
          logger,
        });
        // A bulk load leaves the planner without statistics until autovacuum comes round; the
        // adapter's page queries need them (an ERP in use has them).
        if (result.demoDataLoaded) await analyze(url);
        logger.info(
          {
            database,
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
      logger.error(
        { err: describe(error), database },
        'could not prepare the demo on-prem ERP database; ERP reads will fail',
      );
    }
  }

  private startImportJob(url: string, logger: ErpLogger): RunningOnPremErpSimulation {
    const interval = this.options.importIntervalMs ?? 1000;
    const database = databaseOf(url);
    if (interval <= 0) return { stop: async () => undefined };
    const pool = new pg.Pool({
      connectionString: url,
      max: 1,
      application_name: 'demo-erp-import',
    });
    pool.on('error', () => undefined);
    let stopped = false;
    let failing = false;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> | null = null;
    const runOnce = async (): Promise<void> => {
      try {
        const orders = await processSalesOrderImports(pool);
        const customers = await processCustomerImports(pool);
        // After the orders: a shipment staged for an order imported in the same run posts now.
        const shipments = await processShipmentImports(pool);
        if (shipments.imported.length > 0 || shipments.failed.length > 0) {
          logger.info(
            { database, imported: shipments.imported.length, failed: shipments.failed.length },
            'demo on-prem ERP: import job processed shipment imports',
          );
        }
        if (customers.imported.length > 0 || customers.failed.length > 0) {
          logger.info(
            { database, imported: customers.imported.length, failed: customers.failed.length },
            'demo on-prem ERP: import job processed customer updates',
          );
        }
        if (orders.imported.length > 0 || orders.failed.length > 0) {
          logger.info(
            { database, imported: orders.imported.length, failed: orders.failed.length },
            'demo on-prem ERP: import job processed sales-order imports',
          );
        }
        failing = false;
      } catch (error) {
        // Once per outage, not once a second.
        if (!failing) {
          logger.warn(
            { err: describe(error), database },
            'demo on-prem ERP: import job run failed; retried at every interval',
          );
        }
        failing = true;
      }
    };
    const schedule = (): void => {
      if (stopped) return;
      timer = setTimeout(() => {
        running = runOnce().finally(() => {
          running = null;
          schedule();
        });
      }, interval);
      // The simulated ERP job must never keep the process alive on its own.
      timer.unref();
    };
    schedule();
    logger.info(
      { database, intervalMs: interval },
      'demo on-prem ERP: simulated sales-order import job started',
    );
    return {
      stop: async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        await running;
        await pool.end();
      },
    };
  }
}

async function analyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
