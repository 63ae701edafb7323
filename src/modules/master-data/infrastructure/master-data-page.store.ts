import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { CorrelationContext } from '../../../platform/correlation/index.js';
import { diffState } from '../domain/field-state.js';
import { ENTITY_OF_KIND, mergeGoverned } from '../domain/governed-merge.js';
import type { Customer } from '../domain/customer.js';
import type { Item } from '../domain/item.js';
import type { MasterDataKind } from '../domain/master-data-kind.js';
import type { Warehouse } from '../domain/warehouse.js';
import { AuditLog } from './audit-log.js';
import { CustomerMapper } from './customer.mapper.js';
import { FieldVersions } from './field-versions.js';
import { ItemMapper } from './item.mapper.js';
import { loadRecords, stateOf } from './master-data-records.js';
import type { RecordToWrite } from './record-to-write.js';
import { queryRows } from './sql.js';
import { SystemOfRecordMatrix } from './system-of-record.loader.js';
import { WarehouseMapper } from './warehouse.mapper.js';

interface Table {
  name: string;
  /** Column and its type in the JSON rows (also the cast applied on the way in). */
  columns: [string, string][];
  key: string;
}

interface KindStore<T> {
  table: Table;
  keyOf(record: T): string;
  toRow(record: RecordToWrite<T>): Record<string, unknown>;
  children?: { table: Table; parentKey: string; rows(record: T): Record<string, unknown>[] };
}

const CUSTOMERS: KindStore<Customer> = {
  table: {
    name: 'md_customer',
    key: 'erp_id',
    columns: [
      ['erp_id', 'text'],
      ['source_id', 'text'],
      ['name', 'text'],
      ['parent_erp_id', 'text'],
      ['status', 'text'],
      ['credit_limit', 'numeric'],
      ['balance_due', 'numeric'],
      ['payment_terms', 'text'],
      ['currency', 'text'],
      ['tax_area_code', 'text'],
      ['tax_exemption_number', 'text'],
      ['tax_liable', 'boolean'],
      ['email', 'text'],
      ['phone', 'text'],
      ['website', 'text'],
      ['address_lines', 'text[]'],
      ['city', 'text'],
      ['region', 'text'],
      ['postal_code', 'text'],
      ['country', 'text'],
      ['source_modified_at', 'timestamptz'],
      ['source_hash', 'text'],
    ],
  },
  keyOf: (c) => c.erpId,
  toRow: CustomerMapper.toRow,
  children: {
    table: {
      name: 'md_ship_to',
      key: 'customer_erp_id',
      columns: [
        ['customer_erp_id', 'text'],
        ['code', 'text'],
        ['position', 'integer'],
        ['name', 'text'],
        ['address_lines', 'text[]'],
        ['city', 'text'],
        ['region', 'text'],
        ['postal_code', 'text'],
        ['country', 'text'],
        ['default_warehouse_code', 'text'],
        ['tax_area_code', 'text'],
      ],
    },
    parentKey: 'customer_erp_id',
    rows: CustomerMapper.toShipToRows,
  },
};

const ITEMS: KindStore<Item> = {
  table: {
    name: 'md_item',
    key: 'sku',
    columns: [
      ['sku', 'text'],
      ['source_id', 'text'],
      ['description', 'text'],
      ['base_uom', 'text'],
      ['item_group', 'text'],
      ['status', 'text'],
      ['fulfillment_type', 'text'],
      ['supplier_id', 'text'],
      ['lot_controlled', 'boolean'],
      ['substitutes', 'text[]'],
      ['gtin', 'text'],
      ['tax_group_code', 'text'],
      ['source_modified_at', 'timestamptz'],
      ['source_hash', 'text'],
    ],
  },
  keyOf: (i) => i.sku,
  toRow: ItemMapper.toRow,
  children: {
    table: {
      name: 'md_item_uom',
      key: 'sku',
      columns: [
        ['sku', 'text'],
        ['uom', 'text'],
        ['position', 'integer'],
        ['factor', 'numeric'],
      ],
    },
    parentKey: 'sku',
    rows: ItemMapper.toUomRows,
  },
};

const WAREHOUSES: KindStore<Warehouse> = {
  table: {
    name: 'md_warehouse',
    key: 'code',
    columns: [
      ['code', 'text'],
      ['source_id', 'text'],
      ['name', 'text'],
      ['address_lines', 'text[]'],
      ['city', 'text'],
      ['region', 'text'],
      ['postal_code', 'text'],
      ['country', 'text'],
      ['active', 'boolean'],
      ['source_modified_at', 'timestamptz'],
      ['source_hash', 'text'],
    ],
  },
  keyOf: (w) => w.code,
  toRow: WarehouseMapper.toRow,
};

const STORES: { [K in MasterDataKind]: KindStore<MasterDataRecordOf<K>> } = {
  customers: CUSTOMERS,
  items: ITEMS,
  warehouses: WAREHOUSES,
};

/** The columns a kind's mapper must fill, parent table first (for the mapper specs). */
export function columnsOf(kind: MasterDataKind): { table: string[]; children: string[] } {
  const store = STORES[kind] as KindStore<unknown>;
  return {
    table: store.table.columns.map(([c]) => c),
    children: store.children?.table.columns.map(([c]) => c) ?? [],
  };
}

export type MasterDataRecordOf<K extends MasterDataKind> = K extends 'customers'
  ? Customer
  : K extends 'items'
    ? Item
    : Warehouse;

export interface StoredWatermark {
  feed: string;
  modifiedAt: Date;
  sourceId: string;
}

export interface PageWrite<K extends MasterDataKind> {
  kind: K;
  feed: string;
  records: RecordToWrite<MasterDataRecordOf<K>>[];
  /** Where the feed stands after this page; null when the page carried no usable position. */
  watermark: { modifiedAt: Date; sourceId: string } | null;
  /** Runs inside the page's transaction before it commits (exceptions for invalid records). */
  alsoInTransaction?: (manager: EntityManager) => Promise<void>;
}

export interface PageWriteResult {
  upserted: number;
  unchanged: number;
}

/**
 * Writes one page of a master-data sync in ONE transaction: the records that are new or changed,
 * their child rows, and the watermark. A crash between pages therefore loses nothing and repeats
 * nothing but the page in flight.
 *
 * Change feeds (GET /v1/items?changedSince) page over `(change_seq, key)`. Timestamps cannot
 * order a feed safely: a transaction stamps rows when it writes them but readers see them only
 * when it commits, so a reader can pass a timestamp before an older-stamped row becomes visible
 * and miss it forever. Instead every writing transaction first increments md_change_clock and
 * stamps its rows with the new value. The UPDATE holds the clock's row lock until commit, so
 * writers take clock values strictly in commit order: once a reader sees seq N, every seq below N
 * is already visible. The cost is that master-data writes are serialised, which they are anyway
 * (one sync at a time).
 *
 * Governance: the sync is one more source (`erp`) under the system-of-record matrix. The page's
 * rows are locked and read first; each record is merged so that only the fields the ERP may write
 * take its values (a CRM-owned field keeps what the CRM set, even when the CRM wrote it while this
 * page was being read), and every field that changed is appended to the audit trail, all in the
 * page's transaction.
 */
@Injectable()
export class MasterDataPageStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly matrix: SystemOfRecordMatrix,
    private readonly audit: AuditLog,
  ) {}

  async readWatermark(kind: MasterDataKind): Promise<StoredWatermark | null> {
    const rows = (await this.dataSource.query(
      `SELECT feed, modified_at, source_id FROM md_sync_watermark WHERE entity = $1`,
      [kind],
    )) as { feed: string; modified_at: Date; source_id: string }[];
    const row = rows[0];
    return row ? { feed: row.feed, modifiedAt: row.modified_at, sourceId: row.source_id } : null;
  }

  /** Locks and reads the page's stored records and merges each incoming one under the matrix. */
  private async govern<K extends MasterDataKind>(
    manager: EntityManager,
    kind: K,
    records: RecordToWrite<MasterDataRecordOf<K>>[],
    keyOf: (record: MasterDataRecordOf<K>) => string,
  ): Promise<GovernedPage<MasterDataRecordOf<K>>> {
    const keys = records.map((r) => keyOf(r.record));
    const before = (await loadRecords(manager, kind, keys, { lock: true })) as Map<
      string,
      MasterDataRecordOf<K>
    >;
    const entity = ENTITY_OF_KIND[kind];
    const versions = await FieldVersions.read(manager, entity, keys);
    const acceptedLatest = new Map<string, { fields: string[]; at: Date }>();
    const governed = records.map((r) => {
      const key = keyOf(r.record);
      const merge = mergeGoverned(
        kind,
        this.matrix.matrix,
        'erp',
        r.modifiedAt,
        before.get(key) as never,
        r.record as never,
        (field) => versions.get(key)?.get(field) ?? null,
      );
      acceptedLatest.set(key, { fields: merge.acceptedLatest, at: r.modifiedAt });
      // The hash stays the ERP record's: an unchanged ERP record is still recognised and skipped.
      return { ...r, record: merge.record as MasterDataRecordOf<K> };
    });
    return { records: governed, before, acceptedLatest };
  }

  /** Audits what the page changed, read back from the tables, and moves accept-latest versions. */
  private async recordChanges<K extends MasterDataKind>(
    manager: EntityManager,
    kind: K,
    written: string[],
    governed: GovernedPage<MasterDataRecordOf<K>>,
  ): Promise<void> {
    if (written.length === 0) return;
    const entity = ENTITY_OF_KIND[kind];
    const after = await loadRecords(manager, kind, written, { lock: false });
    const correlationId = CorrelationContext.current() ?? null;
    for (const key of written) {
      const before = governed.before.get(key);
      const now = after.get(key);
      const changes = diffState(
        before === undefined ? null : stateOf(kind, before),
        now === undefined ? null : stateOf(kind, now),
      );
      await this.audit.append(manager, entity, key, changes, {
        sourceSystem: 'erp',
        path: 'erp-sync',
        channelId: null,
        proposalId: null,
        correlationId,
      });
      const accepted = governed.acceptedLatest.get(key);
      if (accepted) {
        await FieldVersions.write(manager, entity, key, accepted.fields, 'erp', accepted.at);
      }
    }
  }

  async writePage<K extends MasterDataKind>(page: PageWrite<K>): Promise<PageWriteResult> {
    const store = STORES[page.kind] as KindStore<MasterDataRecordOf<K>>;
    return this.dataSource.transaction(async (manager) => {
      const runner = manager.queryRunner;
      if (!runner) throw new Error('transaction without a query runner');
      const records = latestPerKey(page.records, store.keyOf);
      let upserted = 0;
      if (records.length > 0) {
        const [clock] = await queryRows<{ seq: string }>(
          runner,
          `UPDATE md_change_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq`,
        );
        const governed = await this.govern(manager, page.kind, records, store.keyOf);
        const written = await upsert(runner, store, governed.records, clock.seq);
        upserted = written.length;
        if (store.children && written.length > 0) {
          await replaceChildren(runner, store, governed.records, new Set(written));
        }
        await this.recordChanges(manager, page.kind, written, governed);
      }
      await page.alsoInTransaction?.(manager);
      if (page.watermark) {
        await runner.query(
          `INSERT INTO md_sync_watermark AS w (entity, feed, modified_at, source_id, updated_at)
           VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (entity) DO UPDATE SET
             feed = EXCLUDED.feed, modified_at = EXCLUDED.modified_at,
             source_id = EXCLUDED.source_id, updated_at = now()
           WHERE w.feed <> EXCLUDED.feed
              OR (EXCLUDED.modified_at, EXCLUDED.source_id COLLATE "C")
                 > (w.modified_at, w.source_id COLLATE "C")`,
          [page.kind, page.feed, page.watermark.modifiedAt, page.watermark.sourceId],
        );
      }
      return { upserted, unchanged: page.records.length - upserted };
    });
  }
}

interface GovernedPage<T> {
  records: RecordToWrite<T>[];
  before: Map<string, T>;
  acceptedLatest: Map<string, { fields: string[]; at: Date }>;
}

/**
 * One row per key: a page can hold the same record twice (changed while the feed was paging, or
 * two source rows claiming one key), and one INSERT … ON CONFLICT cannot touch a row twice.
 */
function latestPerKey<T>(records: RecordToWrite<T>[], keyOf: (r: T) => string): RecordToWrite<T>[] {
  const byKey = new Map<string, RecordToWrite<T>>();
  for (const r of records) {
    const key = keyOf(r.record);
    const seen = byKey.get(key);
    if (!seen || seen.modifiedAt.getTime() <= r.modifiedAt.getTime()) byKey.set(key, r);
  }
  return [...byKey.values()];
}

const recordset = (table: Table): string =>
  `jsonb_to_recordset($1::jsonb) AS r(${table.columns.map(([c, t]) => `${c} ${t}`).join(', ')})`;

/**
 * Inserts new rows and updates changed ones; returns the keys actually written. A row is left
 * alone when its hash is unchanged, or when the hub already holds a newer version of the same
 * source record. (Times are only compared within one source id: after an adapter switch the new
 * source's clock says nothing about the old one's, and its version must win.)
 */
async function upsert<T>(
  runner: QueryRunner,
  store: KindStore<T>,
  records: RecordToWrite<T>[],
  changeSeq: string,
): Promise<string[]> {
  const { table } = store;
  const columns = table.columns.map(([c]) => c);
  const updates = columns
    .filter((c) => c !== table.key)
    .concat('synced_at', 'change_seq')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  const rows = await queryRows<{ key: string }>(
    runner,
    `INSERT INTO ${table.name} AS t (${columns.join(', ')}, synced_at, change_seq)
     SELECT ${columns.map((c) => `r.${c}`).join(', ')}, now(), $2::bigint
     FROM ${recordset(table)}
     ON CONFLICT (${table.key}) DO UPDATE SET ${updates}
     WHERE t.source_hash IS DISTINCT FROM EXCLUDED.source_hash
       AND (t.source_id IS DISTINCT FROM EXCLUDED.source_id
            OR t.source_modified_at <= EXCLUDED.source_modified_at)
     RETURNING t.${table.key} AS key`,
    [JSON.stringify(records.map((r) => store.toRow(r))), changeSeq],
  );
  return rows.map((r) => r.key);
}

async function replaceChildren<T>(
  runner: QueryRunner,
  store: KindStore<T>,
  records: RecordToWrite<T>[],
  written: Set<string>,
): Promise<void> {
  const children = store.children;
  if (!children) return;
  const keys = [...written];
  await runner.query(`DELETE FROM ${children.table.name} WHERE ${children.parentKey} = ANY($1)`, [
    keys,
  ]);
  const rows = records
    .filter((r) => written.has(store.keyOf(r.record)))
    .flatMap((r) => children.rows(r.record));
  if (rows.length === 0) return;
  const columns = children.table.columns.map(([c]) => c);
  await runner.query(
    `INSERT INTO ${children.table.name} (${columns.join(', ')})
     SELECT ${columns.map((c) => `r.${c}`).join(', ')} FROM ${recordset(children.table)}`,
    [JSON.stringify(rows)],
  );
}
