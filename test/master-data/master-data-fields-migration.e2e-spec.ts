import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { hubMigrations } from '../../src/migrations.js';
import { hubDataSourceOptions } from '../../src/platform/database/data-source-options.js';

/** The migration under test, by the timestamp in its class name. */
const FIELDS_MIGRATION = 1765200000000;
const timestampOf = (migration: { name: string }): number =>
  Number(/(\d{13})$/.exec(migration.name)?.[1] ?? NaN);

/*
 * A hub that synced before the new standard fields existed: after the migration its copies
 * have the columns, and the next sync re-reads every customer and item (their watermarks are
 * gone), so each is rewritten with the new fields. Its own scratch database: it migrates from
 * an older schema, which the shared test database is past.
 */
describe('migration: customer tax liability, website and address; item GTIN and tax group', () => {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? '';
  // Named after the test database, so a run that dies before afterAll leaves nothing behind
  // that the next run's global setup does not drop.
  const testDatabase = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x/test').pathname;
  const database = `${testDatabase.slice(1)}_fields_${randomBytes(3).toString('hex')}`;
  let url: string;

  beforeAll(async () => {
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${database}`;
    url = u.toString();
  });

  afterAll(async () => {
    if (!adminUrl) return;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  const migrate = async (
    migrations: typeof hubMigrations,
    work: (db: DataSource) => Promise<void>,
  ): Promise<void> => {
    const db = new DataSource(hubDataSourceOptions(url, migrations, { max: 2, timeoutMs: 5000 }));
    await db.initialize();
    try {
      await db.runMigrations();
      await work(db);
    } finally {
      await db.destroy();
    }
  };

  it('adds the columns, keeps old customers tax liable and makes the next sync re-read customers and items', async () => {
    const before = hubMigrations.filter((m) => timestampOf(m) < FIELDS_MIGRATION);
    expect(before.length).toBeLessThan(hubMigrations.length);
    await migrate(before, async (db) => {
      await db.query(
        `INSERT INTO md_customer (erp_id, source_id, name, status, balance_due, currency,
                                  source_modified_at, source_hash, synced_at, change_seq)
         VALUES ('C1', 's1', 'Acme', 'ACTIVE', 0, 'USD', now(), 'h', now(), 1)`,
      );
      // A database from before master data ran on the delta-sync runner had its own watermark
      // table (fresh databases never get it since 1765300000000 moved it into sync_watermark).
      await db.query(
        `CREATE TABLE IF NOT EXISTS md_sync_watermark (
           entity text PRIMARY KEY, feed text NOT NULL, modified_at timestamptz NOT NULL,
           source_id text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
      );
      await db.query(
        `INSERT INTO md_sync_watermark (entity, feed, modified_at, source_id)
         VALUES ('customers', 'onprem', now(), 'C1'), ('items', 'onprem', now(), 'I1'),
                ('warehouses', 'onprem', now(), 'W1')`,
      );
    });

    await migrate(hubMigrations, async (db) => {
      // Customers and items re-read from the start; warehouses go on (moved by 1765300000000).
      expect(
        await db.query(
          `SELECT stream FROM sync_watermark WHERE stream LIKE 'master-data:%' ORDER BY stream`,
        ),
      ).toEqual([{ stream: 'master-data:warehouses' }]);
      expect(
        await db.query(
          `SELECT tax_liable, website, address_lines, city, region, postal_code, country
           FROM md_customer`,
        ),
      ).toEqual([
        {
          tax_liable: true,
          website: null,
          address_lines: null,
          city: null,
          region: null,
          postal_code: null,
          country: null,
        },
      ]);
      const itemColumns = (await db.query(
        `SELECT column_name FROM information_schema.columns
         WHERE table_name = 'md_item' AND column_name IN ('gtin', 'tax_group_code')
         ORDER BY column_name`,
      )) as { column_name: string }[];
      expect(itemColumns.map((c) => c.column_name)).toEqual(['gtin', 'tax_group_code']);
    });
  });
});
