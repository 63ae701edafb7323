import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { dropDatabaseIfExists, prepareOnPremErpDatabase } from '../erp-simulators/onprem/index.js';
import { ConfigValidationError, erpOnPremDatabase, loadConfig } from '../config/index.js';
import { EmbeddedPostgres } from '../platform/database/index.js';

/** The on-prem ERP's database next to the hub's, on the same server. */

const USAGE = `Usage: npm run erp:seed -- [--scale N] [--seed N] [--url postgres://...] [--reset]

Creates the on-prem ERP reference database, runs its migrations and loads the demo dataset
(only if it holds no ERP data yet; --reset drops and recreates it first).
Without --url: the database the hub reads (ERP_ONPREM_DATABASE_URL, else "<hub database>_erp" on
DATABASE_URL's server, or on the embedded PostgreSQL — started for the run, or reused if the hub
is running it — when DATABASE_URL is unset).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      url: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw new UsageError(`--scale must be a number in (0, 100], got "${values.scale}"`);
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  }
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { context: 'ErpSeed' } });

  let embedded: EmbeddedPostgres | undefined;
  // The same database the hub reads: ERP_ONPREM_DATABASE_URL, else `<hub db>_erp`.
  let url = values.url ?? erpOnPremDatabase(config)?.url;
  if (!url) {
    const server = new EmbeddedPostgres({
      dataDir: config.database.dataDir,
      port: config.database.embeddedPort,
      database: 'crossdock',
      onLog: (line) => logger.debug({ postgres: line }, 'postgres'),
    });
    // Starting a second server on the same cluster would stop the running hub's: reuse it.
    if (await answers(server.urlFor('postgres'))) {
      logger.info({ port: config.database.embeddedPort }, 'using the running embedded PostgreSQL');
    } else {
      await server.start();
      embedded = server;
      logger.info({ dataDir: config.database.dataDir }, 'embedded PostgreSQL started');
    }
    config.database.url = server.url;
    url = erpOnPremDatabase(config)?.url;
  }
  if (!url) throw new UsageError('no ERP database: pass --url');
  try {
    if (values.reset) {
      await dropDatabaseIfExists(url);
      logger.info({ url: redact(url) }, 'ERP database dropped');
    }
    const started = Date.now();
    const result = await prepareOnPremErpDatabase(url, { scale, seed, logger });
    logger.info(
      { url: redact(url), ...result, ms: Date.now() - started },
      result.demoDataLoaded
        ? 'ERP demo dataset loaded'
        : 'ERP database already holds data: nothing loaded (use --reset to reload)',
    );
  } finally {
    await embedded?.stop();
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError || error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(
      `erp:seed failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
