import type { Synced } from '../domain/synced.js';
import type { Warehouse } from '../domain/warehouse.js';
import type { RecordToWrite } from './record-to-write.js';
import type { WarehouseOrmEntity } from './warehouse.orm-entity.js';

export const WarehouseMapper = {
  toDomain(row: WarehouseOrmEntity): Synced<Warehouse> {
    return {
      value: {
        code: row.code,
        name: row.name,
        address:
          row.addressLines !== null && row.city !== null && row.country !== null
            ? {
                addressLines: row.addressLines,
                city: row.city,
                region: row.region,
                postalCode: row.postalCode,
                country: row.country,
              }
            : null,
        active: row.active,
      },
      sourceId: row.sourceId,
      sourceModifiedAt: row.sourceModifiedAt,
      syncedAt: row.syncedAt,
    };
  },

  toRow(r: RecordToWrite<Warehouse>): Record<string, unknown> {
    const w = r.record;
    return {
      code: w.code,
      source_id: r.sourceId,
      name: w.name,
      address_lines: w.address?.addressLines ?? null,
      city: w.address?.city ?? null,
      region: w.address?.region ?? null,
      postal_code: w.address?.postalCode ?? null,
      country: w.address?.country ?? null,
      active: w.active,
      source_modified_at: r.modifiedAt.toISOString(),
      source_hash: r.hash,
    };
  },
};
