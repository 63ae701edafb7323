import type { Customer, ShipTo } from './customer.js';
import { shipToField } from './field-state.js';
import type { Item } from './item.js';
import type { MasterDataKind } from './master-data-kind.js';
import {
  decideField,
  type FieldDecision,
  type GovernedEntity,
  type SourceSystem,
  type SystemOfRecord,
} from './system-of-record.js';
import type { Warehouse } from './warehouse.js';

export type RecordOf<K extends MasterDataKind> = K extends 'customers'
  ? Customer
  : K extends 'items'
    ? Item
    : Warehouse;

export const ENTITY_OF_KIND = {
  customers: 'customer',
  items: 'item',
  warehouses: 'warehouse',
} as const satisfies Record<MasterDataKind, GovernedEntity>;

/** Key of a field's source timestamp: `email`, or `shipTos[MAIN].city` for a ship-to field. */
export const versionKey = (field: string, shipToCode?: string): string =>
  shipToCode === undefined ? field : `${shipToField(shipToCode)}.${field}`;

export interface GovernedMerge<T> {
  record: T;
  /** Version keys of the accept-latest fields this write applied (their timestamps move on). */
  acceptedLatest: string[];
}

/**
 * What a whole-record write from `source` (the ERP sync) leaves in the hub: the fields the matrix
 * lets it write take its values, every other field keeps the stored one. A record the hub does not
 * hold yet is taken whole: nobody else can have set any of its fields.
 *
 * A customer's set of ship-tos follows the incoming record (the ERP keeps the list); each ship-to
 * the hub already holds is merged field by field.
 */
export function mergeGoverned<K extends MasterDataKind>(
  kind: K,
  matrix: SystemOfRecord,
  source: SourceSystem,
  sourceAt: Date,
  stored: RecordOf<K> | undefined,
  incoming: RecordOf<K>,
  storedAt: (versionKey: string) => Date | null,
): GovernedMerge<RecordOf<K>> {
  if (stored === undefined) return { record: incoming, acceptedLatest: [] };
  const acceptedLatest: string[] = [];
  const mergeFields = <T extends object>(
    entity: GovernedEntity,
    before: T,
    after: T,
    shipToCode?: string,
  ): T => {
    const result = { ...before } as Record<string, unknown>;
    for (const [field, ownership] of Object.entries(matrix.entities[entity])) {
      if (!(field in after)) continue;
      const key = versionKey(field, shipToCode);
      const decision: FieldDecision = decideField(ownership, source, sourceAt, storedAt(key));
      if (decision.kind !== 'apply') continue;
      result[field] = (after as Record<string, unknown>)[field];
      if (ownership.rule === 'accept-latest') acceptedLatest.push(key);
    }
    return result as T;
  };
  const entity = ENTITY_OF_KIND[kind];
  const merged = mergeFields(entity, stored, incoming);
  if (kind === 'customers') {
    const before = stored as Customer;
    const after = incoming as Customer;
    const shipTos: ShipTo[] = after.shipTos.map((shipTo) => {
      const held = before.shipTos.find((s) => s.code === shipTo.code);
      return held ? mergeFields('ship-to', held, shipTo, shipTo.code) : shipTo;
    });
    (merged as Customer).shipTos = shipTos;
  }
  return { record: merged, acceptedLatest };
}
