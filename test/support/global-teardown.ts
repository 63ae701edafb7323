import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const db = globalThis.__CROSSDOCK_TEST_DB__;
  if (db) {
    const client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${db.database} WITH (FORCE)`);
    await client.end();
  }
  await globalThis.__CROSSDOCK_EMBEDDED_PG__?.stop();
}
