import { type EntityManager, In } from 'typeorm';
import type { Customer } from '../domain/customer.js';
import {
  customerState,
  type FieldState,
  itemState,
  warehouseState,
} from '../domain/field-state.js';
import type { RecordOf } from '../domain/governed-merge.js';
import type { Item } from '../domain/item.js';
import type { MasterDataKind } from '../domain/master-data-kind.js';
import type { Warehouse } from '../domain/warehouse.js';
import { CustomerMapper } from './customer.mapper.js';
import { CustomerOrmEntity } from './customer.orm-entity.js';
import { ItemMapper } from './item.mapper.js';
import { ItemOrmEntity } from './item.orm-entity.js';
import { WarehouseMapper } from './warehouse.mapper.js';
import { WarehouseOrmEntity } from './warehouse.orm-entity.js';

const LOCKS: Record<MasterDataKind, { table: string; key: string }> = {
  customers: { table: 'md_customer', key: 'erp_id' },
  items: { table: 'md_item', key: 'sku' },
  warehouses: { table: 'md_warehouse', key: 'code' },
};

/**
 * Reads records by key inside a transaction, as the domain sees them. With `lock` the rows are
 * locked first (FOR UPDATE, in key order so two writers cannot deadlock), so that what a writer
 * merges and audits is exactly what it replaces.
 */
export async function loadRecords<K extends MasterDataKind>(
  manager: EntityManager,
  kind: K,
  keys: string[],
  options: { lock: boolean },
): Promise<Map<string, RecordOf<K>>> {
  const result = new Map<string, RecordOf<K>>();
  if (keys.length === 0) return result;
  if (options.lock) {
    const { table, key } = LOCKS[kind];
    await manager.query(
      `SELECT 1 FROM ${table} WHERE ${key} = ANY($1) ORDER BY ${key} FOR UPDATE`,
      [keys],
    );
  }
  if (kind === 'customers') {
    const rows = await manager.find(CustomerOrmEntity, {
      where: { erpId: In(keys) },
      relations: { shipTos: true },
    });
    for (const row of rows) {
      result.set(row.erpId, CustomerMapper.toDomain(row, row.shipTos ?? []).value as RecordOf<K>);
    }
  } else if (kind === 'items') {
    const rows = await manager.find(ItemOrmEntity, {
      where: { sku: In(keys) },
      relations: { uoms: true },
    });
    for (const row of rows) {
      result.set(row.sku, ItemMapper.toDomain(row, row.uoms ?? []).value as RecordOf<K>);
    }
  } else {
    const rows = await manager.find(WarehouseOrmEntity, { where: { code: In(keys) } });
    for (const row of rows)
      result.set(row.code, WarehouseMapper.toDomain(row).value as RecordOf<K>);
  }
  return result;
}

/** The audited field map of a record of any kind. */
export function stateOf(kind: MasterDataKind, record: unknown): FieldState {
  if (kind === 'customers') return customerState(record as Customer);
  if (kind === 'items') return itemState(record as Item);
  return warehouseState(record as Warehouse);
}
