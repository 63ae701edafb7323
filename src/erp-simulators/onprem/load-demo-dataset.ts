import type { DemoDataset } from '../demo-data/index.js';
import { type ErpSql, type ErpSqlTarget, inErpTransaction, withErpConnection } from './erp-sql.js';

export interface LoadDemoDatasetOptions {
  /** Rows per INSERT statement (default 5,000). */
  batchSize?: number;
  /** Called after each table is loaded. */
  onTable?: (table: string, rows: number) => void;
}

export interface LoadDemoDatasetResult {
  /** False when the database already held ERP data: nothing was written. */
  loaded: boolean;
  /** Rows inserted per table (empty when nothing was loaded). */
  counts: Record<string, number>;
  ms: number;
}

type SqlType = 'text' | 'numeric' | 'int' | 'boolean' | 'date';

interface Column<R> {
  name: string;
  type: SqlType;
  value: (row: R) => string | number | boolean | null;
}

const LOADED_SQL = `SELECT EXISTS (SELECT 1 FROM in_warehouse) OR EXISTS (SELECT 1 FROM ar_customer) AS loaded`;

/** Any row in a master table means "already loaded": the loader never mixes two datasets. */
export async function isDemoDatasetLoaded(target: ErpSqlTarget): Promise<boolean> {
  return withErpConnection(target, async (sql) => {
    const { rows } = await sql.query<{ loaded: boolean }>(LOADED_SQL);
    return rows[0].loaded;
  });
}

/**
 * Bulk-loads the demo dataset into a migrated, empty ERP database, in ONE transaction (all or
 * nothing), with `INSERT ... SELECT FROM unnest($1::type[], ...)` batches: one parameter per
 * column whatever the batch size, so a 10x dataset loads in seconds.
 *
 * Idempotent-safe: under a transaction-scoped advisory lock it first checks for existing rows
 * and, if any, writes nothing and returns `loaded: false`. Run it twice, or from two processes
 * at once, and the data is loaded exactly once.
 */
export async function loadDemoDataset(
  target: ErpSqlTarget,
  dataset: DemoDataset,
  options: LoadDemoDatasetOptions = {},
): Promise<LoadDemoDatasetResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 5000;
  return inErpTransaction(target, async (sql) => {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtext('crossdock.erp.demo-dataset'))`);
    const { rows } = await sql.query<{ loaded: boolean }>(LOADED_SQL);
    if (rows[0].loaded) return { loaded: false, counts: {}, ms: Date.now() - started };
    const counts: Record<string, number> = {};
    const load: Loader = async (table, data, columns) => {
      counts[table] = await insertRows(sql, table, columns(columnBuilder()), data, batchSize);
      options.onTable?.(table, counts[table]);
    };
    await loadAll(load, dataset);
    return { loaded: true, counts, ms: Date.now() - started };
  });
}

interface ColumnBuilder<R> {
  text(name: string, value: (row: R) => string | null): Column<R>;
  num(name: string, value: (row: R) => string | null): Column<R>;
  int(name: string, value: (row: R) => number): Column<R>;
  bool(name: string, value: (row: R) => boolean): Column<R>;
  date(name: string, value: (row: R) => string | null): Column<R>;
}

type Loader = <R>(
  table: string,
  rows: R[],
  columns: (c: ColumnBuilder<R>) => Column<R>[],
) => Promise<void>;

function columnBuilder<R>(): ColumnBuilder<R> {
  return {
    text: (name, value) => ({ name, type: 'text', value }),
    num: (name, value) => ({ name, type: 'numeric', value }),
    int: (name, value) => ({ name, type: 'int', value }),
    bool: (name, value) => ({ name, type: 'boolean', value }),
    date: (name, value) => ({ name, type: 'date', value }),
  };
}

interface Addressed {
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

function address<R extends Addressed>(c: ColumnBuilder<R>): Column<R>[] {
  return [
    c.text('address_line1', (r) => r.addressLine1),
    c.text('address_line2', (r) => r.addressLine2),
    c.text('city', (r) => r.city),
    c.text('state', (r) => r.state),
    c.text('postal_code', (r) => r.postalCode),
    c.text('country_code', (r) => r.country),
  ];
}

/** Parents before children, lists before lines: the order foreign keys need. */
async function loadAll(load: Loader, d: DemoDataset): Promise<void> {
  await load('sy_currency', d.currencies, (c) => [
    c.text('currency_code', (r) => r.code),
    c.text('description', (r) => r.description),
    c.text('symbol', (r) => r.symbol),
  ]);
  await load('ar_terms', d.paymentTerms, (c) => [
    c.text('terms_code', (r) => r.code),
    c.text('description', (r) => r.description),
    c.int('due_days', (r) => r.dueDays),
    c.int('discount_days', (r) => r.discountDays),
    c.num('discount_percent', (r) => r.discountPercent),
  ]);
  await load('tx_tax_area', d.taxAreas, (c) => [
    c.text('tax_area_code', (r) => r.code),
    c.text('description', (r) => r.description),
    c.text('country_code', (r) => r.country),
    c.num('rate_percent', (r) => r.ratePercent),
  ]);
  await load('tx_tax_group', d.taxGroups, (c) => [
    c.text('tax_group_code', (r) => r.code),
    c.text('description', (r) => r.description),
  ]);
  await load('in_uom', d.unitsOfMeasure, (c) => [
    c.text('uom_code', (r) => r.code),
    c.text('description', (r) => r.description),
    c.text('unece_code', (r) => r.internationalStandardCode),
  ]);
  await load('in_warehouse', d.warehouses, (c) => [
    c.text('warehouse_code', (r) => r.code),
    c.text('name', (r) => r.name),
    ...address(c),
    c.text('phone', (r) => r.phone),
    c.text('email', (r) => r.email),
  ]);
  await load('ap_supplier', d.suppliers, (c) => [
    c.text('supplier_no', (r) => r.supplierNo),
    c.text('name', (r) => r.name),
    ...address(c),
    c.text('phone', (r) => r.phone),
    c.text('email', (r) => r.email),
    c.text('currency_code', (r) => r.currencyCode),
    c.text('terms_code', (r) => r.paymentTermsCode),
    c.bool('drop_ship', (r) => r.dropShip),
    c.int('lead_time_days', (r) => r.leadTimeDays),
    c.text('status', (r) => r.status),
  ]);
  await load('in_item_group', d.itemGroups, (c) => [
    c.text('item_group_code', (r) => r.code),
    c.text('description', (r) => r.description),
  ]);
  await load('in_item', d.items, (c) => [
    c.text('item_no', (r) => r.sku),
    c.text('description', (r) => r.description),
    c.text('item_group_code', (r) => r.itemGroupCode),
    c.text('base_uom_code', (r) => r.baseUom),
    c.text('status', (r) => r.status),
    c.text('fulfillment_type', (r) => r.fulfillmentType),
    c.text('supplier_no', (r) => r.supplierNo),
    c.bool('lot_controlled', (r) => r.lotControlled),
    c.text('gtin', (r) => r.gtin),
    c.num('unit_cost', (r) => r.unitCost),
    c.num('weight_kg', (r) => r.weightKg),
    c.text('tax_class', (r) => r.taxClass),
    c.text('tax_group_code', (r) => r.taxGroupCode),
  ]);
  const uoms = d.items.flatMap((item) => item.uoms.map((uom) => ({ item, uom })));
  await load('in_item_uom', uoms, (c) => [
    c.text('item_no', (r) => r.item.sku),
    c.text('uom_code', (r) => r.uom.uomCode),
    c.num('conversion_factor', (r) => r.uom.factor),
    c.bool('is_base', (r) => r.uom.isBase),
  ]);
  const substitutes = d.items.flatMap((item) => item.substitutes.map((sub) => ({ item, sub })));
  await load('in_item_substitute', substitutes, (c) => [
    c.text('item_no', (r) => r.item.sku),
    c.text('substitute_item_no', (r) => r.sub.sku),
    c.int('priority', (r) => r.sub.priority),
  ]);
  await load('ar_customer', d.customers, (c) => [
    c.text('customer_no', (r) => r.customerNo),
    c.text('name', (r) => r.name),
    c.text('parent_customer_no', (r) => r.parentCustomerNo),
    c.text('status', (r) => r.status),
    c.num('credit_limit', (r) => r.creditLimit),
    c.num('balance_due', (r) => r.balanceDue),
    c.text('terms_code', (r) => r.paymentTermsCode),
    c.text('currency_code', (r) => r.currencyCode),
    c.text('tax_area_code', (r) => r.taxAreaCode),
    c.text('tax_exempt_no', (r) => r.taxExemptionNo),
    c.bool('tax_liable', (r) => r.taxLiable),
    c.text('tax_registration_no', (r) => r.taxRegistrationNo),
    ...address(c),
    c.text('phone', (r) => r.phone),
    c.text('email', (r) => r.email),
    c.text('website', (r) => r.website),
    c.text('salesperson_code', (r) => r.salespersonCode),
    c.text('price_list_code', (r) => r.priceListCode),
    c.text('default_warehouse_code', (r) => r.defaultWarehouseCode),
  ]);
  await load('ar_ship_to', d.shipTos, (c) => [
    c.text('customer_no', (r) => r.customerNo),
    c.text('ship_to_code', (r) => r.code),
    c.text('name', (r) => r.name),
    c.text('contact', (r) => r.contact),
    c.text('phone', (r) => r.phone),
    ...address(c),
    c.text('tax_area_code', (r) => r.taxAreaCode),
    c.text('tax_exempt_no', (r) => r.taxExemptionNo),
    c.text('warehouse_code', (r) => r.warehouseCode),
    c.bool('is_default', (r) => r.isDefault),
  ]);
  await load('pr_price_list', d.priceLists, (c) => [
    c.text('price_list_code', (r) => r.code),
    c.text('description', (r) => r.description),
    c.text('list_type', (r) => r.type),
    c.text('currency_code', (r) => r.currencyCode),
    c.text('customer_no', (r) => r.customerNo),
    c.date('valid_from', (r) => r.validFrom),
    c.date('valid_to', (r) => r.validTo),
  ]);
  await load('pr_price_list_line', d.priceListLines, (c) => [
    c.text('price_list_code', (r) => r.priceListCode),
    c.text('item_no', (r) => r.sku),
    c.text('uom_code', (r) => r.uomCode),
    c.num('unit_price', (r) => r.unitPrice),
  ]);
  const breaks = d.priceListLines.flatMap((line) => line.breaks.map((brk) => ({ line, brk })));
  await load('pr_price_break', breaks, (c) => [
    c.text('price_list_code', (r) => r.line.priceListCode),
    c.text('item_no', (r) => r.line.sku),
    c.text('uom_code', (r) => r.line.uomCode),
    c.num('min_qty', (r) => r.brk.minQty),
    c.num('unit_price', (r) => r.brk.unitPrice),
  ]);
  await load('pr_contract', d.contracts, (c) => [
    c.text('contract_no', (r) => r.contractNo),
    c.text('description', (r) => r.description),
    c.text('customer_no', (r) => r.customerNo),
    c.text('item_no', (r) => r.sku),
    c.text('item_group_code', (r) => r.itemGroupCode),
    c.text('price_type', (r) => r.priceType),
    c.num('fixed_price', (r) => r.fixedPrice),
    c.text('uom_code', (r) => r.uomCode),
    c.text('currency_code', (r) => r.currencyCode),
    c.num('discount_percent', (r) => r.discountPercent),
    c.num('min_qty', (r) => r.minQty),
    c.date('valid_from', (r) => r.validFrom),
    c.date('valid_to', (r) => r.validTo),
  ]);
  await load('pr_promotion', d.promotions, (c) => [
    c.text('promotion_code', (r) => r.code),
    c.text('description', (r) => r.description),
    c.text('discount_type', (r) => r.discountType),
    c.num('discount_percent', (r) => r.discountPercent),
    c.num('discount_amount', (r) => r.discountAmount),
    c.text('currency_code', (r) => r.currencyCode),
    c.num('min_qty', (r) => r.minQty),
    c.date('valid_from', (r) => r.validFrom),
    c.date('valid_to', (r) => r.validTo),
    c.text('status', (r) => r.status),
  ]);
  const scopes = d.promotions.flatMap((promo) => promo.scopes.map((scope) => ({ promo, scope })));
  await load('pr_promotion_scope', scopes, (c) => [
    c.text('promotion_code', (r) => r.promo.code),
    c.int('scope_no', (r) => r.scope.scopeNo),
    c.text('scope_type', (r) => r.scope.type),
    c.text('item_no', (r) => (r.scope.type === 'ITEM' ? r.scope.code : null)),
    c.text('item_group_code', (r) => (r.scope.type === 'ITEM_GROUP' ? r.scope.code : null)),
    c.text('customer_no', (r) => (r.scope.type === 'CUSTOMER' ? r.scope.code : null)),
  ]);
  await load('in_balance', d.inventoryBalances, (c) => [
    c.text('item_no', (r) => r.sku),
    c.text('warehouse_code', (r) => r.warehouseCode),
    c.text('lot_no', (r) => r.lotNo ?? ''),
    c.date('expiry_date', (r) => r.expiryDate),
    c.num('on_hand_qty', (r) => r.onHand),
    c.num('allocated_qty', (r) => r.allocated),
  ]);
}

async function insertRows<R>(
  sql: ErpSql,
  table: string,
  columns: Column<R>[],
  rows: R[],
  batchSize: number,
): Promise<number> {
  const names = columns.map((c) => c.name).join(', ');
  const unnest = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const statement = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`;
  let inserted = 0;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const params = columns.map((c) => batch.map((row) => c.value(row)));
    inserted += (await sql.query(statement, params)).rowCount;
  }
  return inserted;
}
