import { workerDatabaseName } from './worker-database-name.ts';

/*
 * Runs in every test file before its modules load (jest `setupFiles`): points TEST_DATABASE_URL
 * and TEST_ERP_DATABASE_URL at this worker's own databases (created by global-setup.ts), so
 * files running in parallel workers never share a database. Worker 1 keeps the run's database.
 */
const worker = Number(process.env.JEST_WORKER_ID ?? '1');
const runUrl = process.env.TEST_RUN_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (runUrl && Number.isInteger(worker) && worker > 1) {
  process.env.TEST_RUN_DATABASE_URL = runUrl;
  const url = new URL(runUrl);
  const runDatabase = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = `/${workerDatabaseName(runDatabase, worker)}`;
  process.env.TEST_DATABASE_URL = url.toString();
  const erp = new URL(url);
  erp.pathname = `${url.pathname}_erp`;
  process.env.TEST_ERP_DATABASE_URL = erp.toString();
}
