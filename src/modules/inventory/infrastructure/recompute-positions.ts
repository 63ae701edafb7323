import type { EntityManager } from 'typeorm';
import type { AvailabilityOutbox } from './availability.outbox.js';
import { type PositionKey, type PositionStore, positionKey } from './position.store.js';

/**
 * Runs `change` with the positions of `keys` locked (inside `manager`'s transaction), then
 * recomputes their totals and records what changed in the availability outbox. Returns what
 * `change` returned.
 */
export async function recomputePositions<T>(
  manager: EntityManager,
  positions: PositionStore,
  availability: AvailabilityOutbox,
  keys: readonly PositionKey[],
  change: () => Promise<T>,
): Promise<T> {
  const before = await positions.lockPositions(manager, keys);
  const result = await change();
  const after = await positions.refreshTotals(manager, keys);
  const now = new Date();
  await availability.record(
    manager,
    [...before.values()].map((p) => ({
      before: p,
      after: after.get(positionKey(p)) ?? p,
      sourceEventAt: now,
    })),
  );
  return result;
}
