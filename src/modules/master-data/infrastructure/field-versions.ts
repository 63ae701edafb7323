import type { EntityManager } from 'typeorm';
import type { GovernedEntity, SourceSystem } from '../domain/system-of-record.js';

/**
 * Source timestamps of accept-latest fields (md_field_version): when the source of the stored
 * value changed it. Read and written on the writer's transaction, under its row lock.
 */
export const FieldVersions = {
  async read(
    manager: EntityManager,
    entity: GovernedEntity,
    keys: string[],
  ): Promise<Map<string, Map<string, Date>>> {
    const result = new Map<string, Map<string, Date>>();
    if (keys.length === 0) return result;
    const rows = (await manager.query(
      `SELECT entity_key, field, source_updated_at FROM md_field_version
       WHERE entity = $1 AND entity_key = ANY($2)`,
      [entity, keys],
    )) as { entity_key: string; field: string; source_updated_at: Date }[];
    for (const row of rows) {
      const fields = result.get(row.entity_key) ?? new Map<string, Date>();
      fields.set(row.field, row.source_updated_at);
      result.set(row.entity_key, fields);
    }
    return result;
  },

  async write(
    manager: EntityManager,
    entity: GovernedEntity,
    key: string,
    fields: string[],
    source: SourceSystem,
    at: Date,
  ): Promise<void> {
    if (fields.length === 0) return;
    await manager.query(
      `INSERT INTO md_field_version AS v (entity, entity_key, field, source_system, source_updated_at)
       SELECT $1, $2, f, $4, $5 FROM unnest($3::text[]) AS f
       ON CONFLICT (entity, entity_key, field) DO UPDATE
         SET source_system = EXCLUDED.source_system, source_updated_at = EXCLUDED.source_updated_at`,
      [entity, key, fields, source, at],
    );
  },
};
