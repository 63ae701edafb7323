import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const db = globalThis.__CROSSDOCK_TEST_DB__;
  if (db) {
    const client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${db.database} WITH (FORCE)`);
    // The on-prem ERP databases of the run: `<test database>_erp`, `<test database>_erp_...`.
    const erp = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${db.database}\\_%`],
    );
    for (const { datname } of erp.rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await client.end();
  }
  await globalThis.__CROSSDOCK_EMBEDDED_PG__?.stop();
}
