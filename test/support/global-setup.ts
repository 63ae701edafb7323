import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/platform/database/embedded-postgres.ts';
import { freePort } from './free-port.ts';
import { workerDatabaseName } from './worker-database-name.ts';

declare global {
  var __CROSSDOCK_EMBEDDED_PG__: EmbeddedPostgres | undefined;
  var __CROSSDOCK_TEST_DB__: { adminUrl: string; database: string } | undefined;
}

/**
 * One PostgreSQL for the whole run: DATABASE_URL's server when set (CI), else an embedded one.
 * Either way the suite works in databases of its own, created here and dropped at the end: one
 * per jest worker (`crossdock_test_<pid>` for worker 1, `..._w<n>` for worker n; see
 * worker-database.ts), so test files running side by side never see each other's rows.
 */
export default async function globalSetup(globalConfig: { maxWorkers?: number }): Promise<void> {
  const database = `crossdock_test_${process.pid}`;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-test-'));
    const embedded = new EmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'postgres',
    });
    await embedded.start();
    globalThis.__CROSSDOCK_EMBEDDED_PG__ = embedded;
    adminUrl = embedded.url;
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  // Leftovers of an earlier run with the same pid: the on-prem ERP demo database and the ERP
  // databases of contract tests and benchmarks are all named `<test database>_...`.
  const leftovers = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1`,
    [`${database}\\_%`],
  );
  for (const { datname } of leftovers.rows) {
    await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  const workers = Math.max(1, globalConfig.maxWorkers ?? 1);
  for (let worker = 1; worker <= workers; worker += 1) {
    const name = workerDatabaseName(database, worker);
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  }
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  // The on-prem ERP demo database the app derives from the hub's (`<hub database>_erp`): the
  // first app that starts with ERP_ADAPTER=onprem creates and loads it (scale 1, a few seconds);
  // tests that read it directly call prepareOnPremErpDatabase (a no-op once loaded).
  const erpUrl = new URL(url);
  erpUrl.pathname = `/${database}_erp`;
  process.env.TEST_ERP_DATABASE_URL = erpUrl.toString();
  globalThis.__CROSSDOCK_TEST_DB__ = { adminUrl, database };
}
