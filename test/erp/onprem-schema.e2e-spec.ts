import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import {
  ERP_MIGRATIONS_TABLE,
  ERP_TABLES,
  loadDemoDataset,
  prepareOnPremErpDatabase,
  type PrepareOnPremErpDatabaseResult,
  processSalesOrderImports,
} from '../../src/erp-simulators/onprem/index.js';

const dataset = generateDemoDataset();

describe('on-prem ERP reference database', () => {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? '';
  const database = `crossdock_erp_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  let url: string;
  let pool: pg.Pool;
  let prepared: PrepareOnPremErpDatabaseResult;

  beforeAll(async () => {
    if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest');
    const u = new URL(adminUrl);
    u.pathname = `/${database}`;
    url = u.toString();
    prepared = await prepareOnPremErpDatabase(url);
    pool = new pg.Pool({ connectionString: url, max: 3 });
  });

  afterAll(async () => {
    await pool?.end();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  const count = async (table: string): Promise<number> =>
    Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  it('creates its own database, runs its own migrations and loads the demo dataset', async () => {
    expect(prepared.databaseCreated).toBe(true);
    expect(prepared.migrations).toEqual([
      'ErpSchema1764500000000',
      'ErpCustomerImport1796600000000',
      'ErpTaxGroupsAndWebsite1796700000000',
      'ErpFulfillment1796800000000',
    ]);
    expect(prepared.demoDataLoaded).toBe(true);
    const migrationsTable = await pool.query(`SELECT to_regclass($1) AS t`, [ERP_MIGRATIONS_TABLE]);
    expect(migrationsTable.rows[0].t).toBe(ERP_MIGRATIONS_TABLE);

    const expected: Record<string, number> = {
      in_warehouse: 3,
      tx_tax_group: dataset.taxGroups.length,
      ar_customer: dataset.customers.length,
      ar_ship_to: dataset.shipTos.length,
      in_item: dataset.items.length,
      in_item_uom: dataset.items.reduce((n, i) => n + i.uoms.length, 0),
      in_item_substitute: dataset.items.reduce((n, i) => n + i.substitutes.length, 0),
      ap_supplier: dataset.suppliers.length,
      pr_price_list: dataset.priceLists.length,
      pr_price_list_line: dataset.priceListLines.length,
      pr_price_break: dataset.priceListLines.reduce((n, l) => n + l.breaks.length, 0),
      pr_contract: dataset.contracts.length,
      pr_promotion: dataset.promotions.length,
      pr_promotion_scope: dataset.promotions.reduce((n, p) => n + p.scopes.length, 0),
      in_balance: dataset.inventoryBalances.length,
    };
    for (const [table, rows] of Object.entries(expected)) {
      expect({ table, rows: await count(table) }).toEqual({ table, rows });
      expect({ table, rows: prepared.counts[table] }).toEqual({ table, rows });
    }
    expect(await count('ar_customer WHERE parent_customer_no IS NOT NULL')).toBeGreaterThan(0);
    // Every item names one of the ERP's tax groups (a foreign key), as the dataset says.
    expect(await count('in_item WHERE tax_group_code IS NULL')).toBe(0);
    expect(await count('ar_customer WHERE website IS NOT NULL')).toBe(
      dataset.customers.filter((c) => c.website !== null).length,
    );
  });

  it('keeps decimal factors and prices exact', async () => {
    const item = dataset.items.find((i) => i.uoms.some((u) => u.factor === '3.785412'))!;
    const factor = await pool.query(
      `SELECT conversion_factor = 3.785412 AS exact FROM in_item_uom WHERE item_no = $1 AND uom_code = 'GAL'`,
      [item.sku],
    );
    expect(factor.rows[0].exact).toBe(true);
    const line = dataset.priceListLines.find((l) => l.breaks.length > 0)!;
    const price = await pool.query(
      `SELECT unit_price = $4::numeric AS exact FROM pr_price_list_line
        WHERE price_list_code = $1 AND item_no = $2 AND uom_code = $3`,
      [line.priceListCode, line.sku, line.uomCode, line.unitPrice],
    );
    expect(price.rows[0].exact).toBe(true);
  });

  it('is safe to prepare and load again: nothing is migrated or loaded twice', async () => {
    const again = await prepareOnPremErpDatabase(url);
    expect(again).toEqual({
      databaseCreated: false,
      migrations: [],
      demoDataLoaded: false,
      counts: {},
    });
    const reload = await loadDemoDataset(pool, dataset);
    expect(reload.loaded).toBe(false);
    expect(await count('ar_customer')).toBe(dataset.customers.length);
  });

  it('gives every table an ERP-maintained updated_at, a trigger and a delta index', async () => {
    const triggers = await pool.query(
      `SELECT count(*) AS n FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%\\_touch'`,
    );
    expect(Number(triggers.rows[0].n)).toBe(ERP_TABLES.length);
    const indexes = await pool.query(
      `SELECT count(*) AS n FROM pg_indexes WHERE indexname LIKE '%\\_delta\\_idx'`,
    );
    expect(Number(indexes.rows[0].n)).toBe(ERP_TABLES.length);

    const customerNo = dataset.customers[0].customerNo;
    const before = await pool.query(`SELECT updated_at FROM ar_customer WHERE customer_no = $1`, [
      customerNo,
    ]);
    // Even a writer that tries to set updated_at itself cannot move it: the trigger owns it.
    await pool.query(
      `UPDATE ar_customer SET credit_limit = credit_limit + 1000, updated_at = '2000-01-01'
        WHERE customer_no = $1`,
      [customerNo],
    );
    const after = await pool.query(`SELECT updated_at FROM ar_customer WHERE customer_no = $1`, [
      customerNo,
    ]);
    expect(after.rows[0].updated_at.getTime()).toBeGreaterThan(before.rows[0].updated_at.getTime());
    const delta = await pool.query(
      `SELECT customer_no FROM ar_customer WHERE updated_at > $1 ORDER BY updated_at, customer_no`,
      [before.rows[0].updated_at],
    );
    expect(delta.rows.map((r) => r.customer_no)).toContain(customerNo);
  });

  it('journals deleted master-data rows so delta readers see removals', async () => {
    const item = dataset.items.find((i) => i.substitutes.length > 0)!;
    await pool.query(
      `DELETE FROM in_item_substitute WHERE item_no = $1 AND substitute_item_no = $2`,
      [item.sku, item.substitutes[0].sku],
    );
    const journal = await pool.query(
      `SELECT old_row FROM sy_deleted_row WHERE table_name = 'in_item_substitute'`,
    );
    expect(journal.rows).toEqual([
      {
        old_row: {
          item_no: item.sku,
          substitute_item_no: item.substitutes[0].sku,
          priority: item.substitutes[0].priority,
        },
      },
    ]);
  });

  describe('sales order import', () => {
    const activeUsd = dataset.customers.find(
      (c) => c.status === 'ACTIVE' && c.currencyCode === 'USD' && c.taxAreaCode !== null,
    )!;
    const shipTo = dataset.shipTos.find((s) => s.customerNo === activeUsd.customerNo)!;
    const stockItem = dataset.items.find(
      (i) =>
        i.status === 'ACTIVE' &&
        i.fulfillmentType === 'STOCK' &&
        !i.lotControlled &&
        i.uoms.length >= 2 &&
        dataset.inventoryBalances.some((b) => b.sku === i.sku && b.warehouseCode === 'MAIN'),
    )!;
    const dropShipItem = dataset.items.find(
      (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'DROP_SHIP',
    )!;
    const blockedItem = dataset.items.find((i) => i.status === 'BLOCKED')!;

    const stage = async (
      externalReference: string,
      customerNo: string,
      lines: { itemNo: string; uom?: string; qty: string; price?: string }[],
      extra: { shipToCode?: string; warehouseCode?: string } = {},
    ): Promise<string> => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const header = await client.query(
          `INSERT INTO so_import_header (external_reference, customer_no, ship_to_code, warehouse_code, customer_po)
           VALUES ($1, $2, $3, $4, 'PO-1') RETURNING import_id`,
          [externalReference, customerNo, extra.shipToCode ?? null, extra.warehouseCode ?? null],
        );
        const importId = header.rows[0].import_id as string;
        for (const [i, line] of lines.entries()) {
          await client.query(
            `INSERT INTO so_import_line (import_id, line_no, item_no, uom_code, quantity, unit_price)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [importId, i + 1, line.itemNo, line.uom ?? null, line.qty, line.price ?? null],
          );
        }
        await client.query('COMMIT');
        return importId;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };

    it('refuses a second staged order with the same external reference', async () => {
      await stage('HUB-DUP-1', activeUsd.customerNo, [{ itemNo: stockItem.sku, qty: '1' }]);
      await expect(
        stage('HUB-DUP-1', activeUsd.customerNo, [{ itemNo: stockItem.sku, qty: '1' }]),
      ).rejects.toMatchObject({
        code: '23505',
        constraint: 'so_import_header_external_reference_key',
      });
      await pool.query(`DELETE FROM so_import_header WHERE external_reference = 'HUB-DUP-1'`);
    });

    it('turns a valid staged order into an ERP sales order and allocates stock', async () => {
      const caseUom = stockItem.uoms[1];
      const balanceBefore = await pool.query(
        `SELECT sum(allocated_qty) AS allocated FROM in_balance
          WHERE item_no = $1 AND warehouse_code = 'MAIN'`,
        [stockItem.sku],
      );
      await stage(
        'HUB-ORDER-1',
        activeUsd.customerNo,
        [
          { itemNo: stockItem.sku, uom: caseUom.uomCode, qty: '2', price: '10.50' },
          { itemNo: stockItem.sku, qty: '3' },
          { itemNo: dropShipItem.sku, qty: '1', price: '99.99' },
        ],
        { shipToCode: shipTo.code, warehouseCode: 'MAIN' },
      );

      const result = await processSalesOrderImports(pool);

      expect(result.failed).toEqual([]);
      expect(result.imported).toEqual([
        {
          importId: expect.any(String),
          externalReference: 'HUB-ORDER-1',
          erpOrderNo: expect.stringMatching(/^SO1\d{5}$/),
        },
      ]);
      const orderNo = result.imported[0].erpOrderNo;
      const staged = await pool.query(
        `SELECT status, erp_order_no, error_text FROM so_import_header WHERE external_reference = 'HUB-ORDER-1'`,
      );
      expect(staged.rows[0]).toEqual({
        status: 'IMPORTED',
        erp_order_no: orderNo,
        error_text: null,
      });

      const basePrice = dataset.priceListLines.find(
        (l) =>
          l.priceListCode === 'BASE-USD' &&
          l.sku === stockItem.sku &&
          l.uomCode === stockItem.baseUom,
      )!.unitPrice;
      const lines = await pool.query(
        `SELECT line_no, uom_code, quantity::text, base_quantity::text, unit_price::text,
                line_amount::text, warehouse_code, fulfillment_type, supplier_no
           FROM so_order_line WHERE order_no = $1 ORDER BY line_no`,
        [orderNo],
      );
      const factor = caseUom.factor;
      expect(lines.rows[0]).toMatchObject({
        uom_code: caseUom.uomCode,
        warehouse_code: 'MAIN',
        fulfillment_type: 'STOCK',
      });
      expect(Number(lines.rows[0].base_quantity)).toBe(2 * Number(factor));
      expect(Number(lines.rows[1].unit_price)).toBe(Number(basePrice));
      expect(lines.rows[1].uom_code).toBe(stockItem.baseUom);
      expect(lines.rows[2]).toMatchObject({
        fulfillment_type: 'DROP_SHIP',
        warehouse_code: null,
        supplier_no: dropShipItem.supplierNo,
      });
      const header = await pool.query(
        `SELECT external_reference, customer_no, ship_to_code, city, total_amount::text
           FROM so_order_header WHERE order_no = $1`,
        [orderNo],
      );
      const total = lines.rows.reduce((sum, l) => sum + Number(l.line_amount), 0);
      expect(header.rows[0]).toMatchObject({
        external_reference: 'HUB-ORDER-1',
        customer_no: activeUsd.customerNo,
        ship_to_code: shipTo.code,
        city: shipTo.city,
      });
      expect(Number(header.rows[0].total_amount)).toBeCloseTo(total, 2);

      const balanceAfter = await pool.query(
        `SELECT sum(allocated_qty) AS allocated FROM in_balance
          WHERE item_no = $1 AND warehouse_code = 'MAIN'`,
        [stockItem.sku],
      );
      expect(Number(balanceAfter.rows[0].allocated) - Number(balanceBefore.rows[0].allocated)).toBe(
        2 * Number(factor) + 3,
      );
    });

    it('marks an import ERROR with every problem, and imports it once fixed and reset to NEW', async () => {
      const importId = await stage('HUB-ORDER-BAD', 'C99999', [
        { itemNo: 'NOPE-1', qty: '1', price: '1.00' },
        { itemNo: blockedItem.sku, qty: '1', price: '1.00' },
      ]);

      const result = await processSalesOrderImports(pool);

      expect(result.imported).toEqual([]);
      expect(result.failed).toHaveLength(1);
      const errorText = result.failed[0].errorText;
      expect(errorText).toContain('Customer C99999 does not exist');
      expect(errorText).toContain('Line 1: item NOPE-1 does not exist');
      expect(errorText).toContain(`Line 2: item ${blockedItem.sku} is BLOCKED`);
      const staged = await pool.query(
        `SELECT status, erp_order_no, error_text FROM so_import_header WHERE import_id = $1`,
        [importId],
      );
      expect(staged.rows[0]).toEqual({
        status: 'ERROR',
        erp_order_no: null,
        error_text: errorText,
      });
      expect(await count(`so_order_header WHERE external_reference = 'HUB-ORDER-BAD'`)).toBe(0);

      // Nothing NEW: a second run does nothing.
      expect(await processSalesOrderImports(pool)).toEqual({ imported: [], failed: [] });

      await pool.query(`UPDATE so_import_line SET item_no = $2 WHERE import_id = $1`, [
        importId,
        stockItem.sku,
      ]);
      await pool.query(
        `UPDATE so_import_header SET customer_no = $2, status = 'NEW' WHERE import_id = $1`,
        [importId, activeUsd.customerNo],
      );
      const retried = await processSalesOrderImports(pool);
      expect(retried.failed).toEqual([]);
      expect(retried.imported.map((i) => i.externalReference)).toEqual(['HUB-ORDER-BAD']);
    });

    it('rejects orders for blocked or inactive customers and unknown units of measure', async () => {
      const blocked = dataset.customers.find((c) => c.status === 'BLOCKED')!;
      await stage('HUB-ORDER-BLOCKED', blocked.customerNo, [
        { itemNo: stockItem.sku, uom: 'PALLETX', qty: '1' },
      ]);
      const result = await processSalesOrderImports(pool);
      expect(result.failed[0].errorText).toBe(
        `Customer ${blocked.customerNo} is BLOCKED; Line 1: unit of measure PALLETX is not defined for item ${stockItem.sku}`,
      );
    });
  });
});
