import type { DeltaTable } from '../../../platform/delta-sync/index.js';
import type { InventoryBalance } from '../domain/inventory-balance.js';

/** The hub's copy of the ERP balances (migration 1764400800000), as the delta-sync runner writes it. */
export const ERP_BALANCE_TABLE: DeltaTable<InventoryBalance> = {
  name: 'inv_erp_balance',
  keyColumns: ['sku', 'warehouse_code', 'lot_no'],
  columns: [
    ['sku', 'text'],
    ['warehouse_code', 'text'],
    ['lot_no', 'text'],
    ['expiry_date', 'date'],
    ['on_hand', 'numeric'],
    ['allocated', 'numeric'],
  ],
  toRow: (b) => ({
    sku: b.sku,
    warehouse_code: b.warehouse,
    lot_no: b.lot ?? '',
    expiry_date: b.expiryDate,
    on_hand: b.onHand,
    allocated: b.allocated,
  }),
  keyOf: (b) => `${b.sku}|${b.warehouse}|${b.lot ?? ''}`,
};
