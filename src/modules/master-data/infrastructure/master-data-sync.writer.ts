import { Injectable } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { CorrelationContext } from '../../../platform/correlation/index.js';
import type {
  DeltaPageWrite,
  DeltaStreamWriter,
  DeltaWriteResult,
} from '../../../platform/delta-sync/index.js';
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
import { sourceHash } from './source-hash.js';
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

/**
 * The writer step of the master-data sync (platform/delta-sync runs the sync: it reads, checks,
 * refuses and keeps the watermark, in the page's transaction this writer writes into): the
 * records that are new or changed, their child rows, the audit trail and field versions.
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
 *
 * Deletions are not written: ERPs deactivate master data rather than delete it (MasterDataFeed
 * rule 7), and a record the hub holds stays.
 */
@Injectable()
export class MasterDataSyncWriter {
  constructor(
    private readonly matrix: SystemOfRecordMatrix,
    private readonly audit: AuditLog,
  ) {}

  /** The writer of one kind, for its delta-sync stream. */
  forKind<K extends MasterDataKind>(kind: K): DeltaStreamWriter<MasterDataRecordOf<K>> {
    const store = STORES[kind] as KindStore<MasterDataRecordOf<K>>;
    return { keyOf: store.keyOf, write: (page) => this.write(kind, store, page) };
  }

  private async write<K extends MasterDataKind>(
    kind: K,
    store: KindStore<MasterDataRecordOf<K>>,
    page: DeltaPageWrite<MasterDataRecordOf<K>>,
  ): Promise<DeltaWriteResult> {
    const { manager } = page;
    const runner = manager.queryRunner;
    if (!runner) throw new Error('transaction without a query runner');
    if (page.changes.length === 0) return { upserted: 0, deleted: 0 };
    const records: RecordToWrite<MasterDataRecordOf<K>>[] = page.changes.map((c) => ({
      sourceId: c.sourceId,
      modifiedAt: c.modifiedAt,
      record: c.record,
      hash: sourceHash(c.sourceId, c.record),
    }));
    const [clock] = await queryRows<{ seq: string }>(
      runner,
      `UPDATE md_change_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq`,
    );
    const governed = await this.govern(manager, kind, records, store.keyOf);
    const written = await upsert(runner, store, governed.records, clock.seq);
    if (store.children && written.length > 0) {
      await replaceChildren(runner, store, governed.records, new Set(written));
    }
    await this.recordChanges(manager, kind, written, governed);
    return { upserted: written.length, deleted: 0 };
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
}

interface GovernedPage<T> {
  records: RecordToWrite<T>[];
  before: Map<string, T>;
  acceptedLatest: Map<string, { fields: string[]; at: Date }>;
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
