import type { Customer, ShipTo } from './customer.js';
import { versionKey } from './governed-merge.js';
import {
  decideField,
  type GovernedEntity,
  HUB_FIELDS,
  type SourceSystem,
  type SystemOfRecord,
} from './system-of-record.js';

/** The customer fields a channel may send (every hub field but the key and the ship-to list). */
export type CustomerFields = Omit<Customer, 'erpId' | 'shipTos'>;
export type ShipToFields = Omit<ShipTo, 'code'>;

/** What became of one field of a channel's write; the response lists one per field sent. */
export type FieldOutcome =
  | { field: string; result: 'applied' }
  | {
      field: string;
      result: 'rejected';
      code: 'FIELD_NOT_OWNED';
      owner: SourceSystem;
      message: string;
    }
  | { field: string; result: 'queued'; proposalId: string }
  | {
      field: string;
      result: 'ignored';
      code: 'STALE_UPDATE';
      storedSourceUpdatedAt: string;
      message: string;
    };

export interface UpdatePlan<T> {
  /** Per field sent, in request order; `queued` outcomes get their proposal id once it exists. */
  outcomes: FieldOutcome[];
  apply: Partial<T>;
  queue: Partial<T>;
  /** Version keys of the accept-latest fields applied (their source timestamp moves on). */
  acceptedLatest: string[];
}

const PENDING = '';

/**
 * Decides, field by field under the matrix, what a write from `source` does: applied, rejected
 * (FIELD_NOT_OWNED, naming the owner), queued for a steward, or ignored as stale (accept-latest).
 */
export function planUpdate<T extends object>(
  matrix: SystemOfRecord,
  entity: Extract<GovernedEntity, 'customer' | 'ship-to'>,
  source: SourceSystem,
  sourceAt: Date,
  changes: Partial<T>,
  storedAt: (versionKey: string) => Date | null,
  shipToCode?: string,
): UpdatePlan<T> {
  const plan: UpdatePlan<T> = { outcomes: [], apply: {}, queue: {}, acceptedLatest: [] };
  const known = HUB_FIELDS[entity] ?? [];
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined || !known.includes(field)) continue;
    const ownership = matrix.entities[entity][field];
    if (!ownership) continue;
    const key = versionKey(field, shipToCode);
    const decision = decideField(ownership, source, sourceAt, storedAt(key));
    const set = (target: Partial<T>): void => {
      (target as Record<string, unknown>)[field] = value;
    };
    switch (decision.kind) {
      case 'apply':
        set(plan.apply);
        if (ownership.rule === 'accept-latest') plan.acceptedLatest.push(key);
        plan.outcomes.push({ field, result: 'applied' });
        break;
      case 'queue':
        set(plan.queue);
        plan.outcomes.push({ field, result: 'queued', proposalId: PENDING });
        break;
      case 'stale':
        plan.outcomes.push({
          field,
          result: 'ignored',
          code: 'STALE_UPDATE',
          storedSourceUpdatedAt: decision.storedAt.toISOString(),
          message: `${field} was changed at source at ${decision.storedAt.toISOString()}, after this update (accept-latest)`,
        });
        break;
      case 'reject':
        plan.outcomes.push({
          field,
          result: 'rejected',
          code: 'FIELD_NOT_OWNED',
          owner: decision.owner,
          message: `${field} of a ${entity} is owned by ${decision.owner}; ${source} may not change it`,
        });
        break;
    }
  }
  return plan;
}

/**
 * A new ship-to cannot be stored in part: when any of its fields needs a steward, every field
 * that was not rejected goes into the same proposal.
 */
export function queueWholeShipTo(plan: UpdatePlan<ShipToFields>): UpdatePlan<ShipToFields> {
  if (Object.keys(plan.queue).length === 0) return plan;
  return {
    outcomes: plan.outcomes.map((o) =>
      o.result === 'applied' ? { field: o.field, result: 'queued', proposalId: PENDING } : o,
    ),
    apply: {},
    queue: { ...plan.apply, ...plan.queue },
    acceptedLatest: [],
  };
}

export const withProposalId = (outcomes: FieldOutcome[], proposalId: string): FieldOutcome[] =>
  outcomes.map((o) => (o.result === 'queued' ? { ...o, proposalId } : o));
