import type { Customer, ShipTo } from './customer.js';
import type { Item } from './item.js';
import type { Warehouse } from './warehouse.js';

/** The audited kinds of record and how the audit trail names them. */
export const AUDITED_ENTITIES = ['customer', 'item', 'warehouse'] as const;
export type AuditedEntity = (typeof AUDITED_ENTITIES)[number];

/** JSON values as the audit trail stores them. */
export type FieldValue =
  string | number | boolean | null | FieldValue[] | { [k: string]: FieldValue };

/**
 * A record as a flat map of audited fields: what the audit trail records changes of, and what
 * replaying it rebuilds. A customer's ship-tos are one field each, `shipTos[CODE]`; their order
 * is presentation, not data, and is not part of the state.
 */
export type FieldState = Record<string, FieldValue>;

export const shipToField = (code: string): string => `shipTos[${code}]`;
const SHIP_TO_FIELD = /^shipTos\[(.+)\]$/;
export const shipToCodeOf = (field: string): string | null =>
  SHIP_TO_FIELD.exec(field)?.[1] ?? null;

export function customerState(customer: Customer): FieldState {
  const { erpId: _key, shipTos, address, ...fields } = customer;
  const state: FieldState = {
    ...fields,
    address: address ? { ...address, addressLines: [...address.addressLines] } : null,
  };
  for (const shipTo of shipTos) state[shipToField(shipTo.code)] = shipToValue(shipTo);
  return state;
}

export function shipToValue(shipTo: ShipTo): FieldState {
  const { code: _code, ...rest } = shipTo;
  return { ...rest, addressLines: [...rest.addressLines] };
}

export function itemState(item: Item): FieldState {
  const { sku: _key, ...fields } = item;
  return JSON.parse(JSON.stringify(fields)) as FieldState;
}

export function warehouseState(warehouse: Warehouse): FieldState {
  const { code: _key, ...fields } = warehouse;
  return JSON.parse(JSON.stringify(fields)) as FieldState;
}

export interface FieldChange {
  field: string;
  oldValue: FieldValue;
  newValue: FieldValue;
}

/**
 * The field changes that turn `before` into `after` (null = the record did not exist yet). A
 * removed field (a deleted ship-to) changes to null.
 */
export function diffState(before: FieldState | null, after: FieldState | null): FieldChange[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChange[] = [];
  for (const field of [...fields].sort()) {
    const oldValue = before?.[field] ?? null;
    const newValue = after?.[field] ?? null;
    // A new record has every field recorded, nulls too, so that replay rebuilds all of it.
    if (before === null || canonical(oldValue) !== canonical(newValue)) {
      changes.push({ field, oldValue, newValue });
    }
  }
  return changes;
}

/** Replays field changes, oldest first, onto an empty record: the audit trail's view of it. */
export function replayChanges(
  changes: readonly Pick<FieldChange, 'field' | 'newValue'>[],
): FieldState {
  const state: FieldState = {};
  for (const change of changes) {
    if (change.newValue === null && shipToCodeOf(change.field) !== null) delete state[change.field];
    else state[change.field] = change.newValue;
  }
  return state;
}

/** Key-order independent JSON, for comparing values. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
