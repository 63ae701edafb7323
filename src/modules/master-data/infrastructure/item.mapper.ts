import type { FulfillmentType, Item, ItemStatus } from '../domain/item.js';
import type { Synced } from '../domain/synced.js';
import type { ItemOrmEntity, ItemUomOrmEntity } from './item.orm-entity.js';
import type { RecordToWrite } from './record-to-write.js';

export const ItemMapper = {
  toDomain(row: ItemOrmEntity, uoms: ItemUomOrmEntity[]): Synced<Item> {
    return {
      value: {
        sku: row.sku,
        description: row.description,
        baseUom: row.baseUom,
        uomConversions: [...uoms]
          .sort((a, b) => a.position - b.position)
          .map((u) => ({ uom: u.uom, factor: u.factor })),
        itemGroup: row.itemGroup,
        status: row.status as ItemStatus,
        fulfillmentType: row.fulfillmentType as FulfillmentType,
        supplierId: row.supplierId,
        lotControlled: row.lotControlled,
        substitutes: row.substitutes,
        gtin: row.gtin,
        taxGroupCode: row.taxGroupCode,
      },
      sourceId: row.sourceId,
      sourceModifiedAt: row.sourceModifiedAt,
      syncedAt: row.syncedAt,
    };
  },

  toRow(r: RecordToWrite<Item>): Record<string, unknown> {
    const i = r.record;
    return {
      sku: i.sku,
      source_id: r.sourceId,
      description: i.description,
      base_uom: i.baseUom,
      item_group: i.itemGroup,
      status: i.status,
      fulfillment_type: i.fulfillmentType,
      supplier_id: i.supplierId,
      lot_controlled: i.lotControlled,
      substitutes: i.substitutes,
      gtin: i.gtin,
      tax_group_code: i.taxGroupCode,
      source_modified_at: r.modifiedAt.toISOString(),
      source_hash: r.hash,
    };
  },

  toUomRows(i: Item): Record<string, unknown>[] {
    return i.uomConversions.map((u, position) => ({
      sku: i.sku,
      uom: u.uom,
      position,
      factor: u.factor,
    }));
  },
};
