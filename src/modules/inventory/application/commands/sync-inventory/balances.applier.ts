import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import type { EntityManager } from 'typeorm';
import type { InventoryBalance } from '../../../domain/inventory-balance.js';
import { decideStockEvent, type EventKey } from '../../../domain/stock-event.js';
import { AvailabilityOutbox } from '../../../infrastructure/availability.outbox.js';
import {
  lotKey,
  type PositionKey,
  PositionStore,
  positionKey,
} from '../../../infrastructure/position.store.js';

export interface BalanceToApply {
  sourceId: string;
  /** ERP modification time, ms since the epoch. */
  modifiedAt: number;
  balance: InventoryBalance & { lot: string };
}

/**
 * Applies ERP balances. On hand is a SNAPSHOT of the lot at the balance's modification time,
 * under the same ordering rules as pushed events (a newer WMS count wins over an older ERP
 * balance, and the reverse); the ERP allocation is the ERP's own figure, taken whenever the
 * balance is at least as new as the one it came from last.
 */
@Injectable()
export class BalancesApplier {
  constructor(
    private readonly positions: PositionStore,
    private readonly availability: AvailabilityOutbox,
  ) {}

  /** Returns how many balances changed something. */
  async apply(
    manager: EntityManager,
    feedName: string,
    balances: readonly BalanceToApply[],
  ): Promise<number> {
    if (balances.length === 0) return 0;
    const keys = balances.map((b) => b.balance);
    const before = await this.positions.lockPositions(manager, keys);
    const lots = await this.positions.loadLots(manager, keys);
    const sourceTimes = new Map<string, number>();
    let changedCount = 0;
    for (const { sourceId, modifiedAt, balance } of balances) {
      const lot = lots.get(lotKey(balance))!;
      let changed = false;
      // The ERP's id space is not the WMS's: prefix it, so a tie in time orders the same way always.
      const key: EventKey = { at: modifiedAt, id: `erp:${feedName}:${sourceId}` };
      if (decideStockEvent('SNAPSHOT', key, lot.lastSnapshot).apply) {
        const later = await this.positions.adjustmentsAfter(manager, lot, key);
        const onHand = new Decimal(balance.onHand).plus(later);
        changed ||= !onHand.equals(lot.onHand);
        lot.onHand = onHand;
        lot.lastSnapshot = key;
        lot.changed = true;
      }
      const allocationIsNewer = !lot.allocatedAt || lot.allocatedAt.getTime() < modifiedAt;
      const allocationDiffers = !lot.allocated.equals(balance.allocated);
      if (allocationIsNewer || (allocationDiffers && lot.allocatedAt!.getTime() === modifiedAt)) {
        changed ||= allocationDiffers;
        lot.allocated = new Decimal(balance.allocated);
        lot.allocatedAt = new Date(modifiedAt);
        lot.changed = true;
      }
      if (balance.expiryDate !== lot.expiryDate && balance.lot !== '') {
        lot.expiryDate = balance.expiryDate;
        lot.changed = true;
      }
      if (lot.changed && (!lot.stockEventAt || lot.stockEventAt.getTime() < modifiedAt)) {
        lot.stockEventAt = new Date(modifiedAt);
      }
      if (changed) {
        changedCount++;
        const pk = positionKey(balance);
        sourceTimes.set(pk, Math.max(sourceTimes.get(pk) ?? 0, modifiedAt));
      }
    }
    await this.positions.saveLots(manager, lots.values());
    const touched: PositionKey[] = [...before.values()];
    const after = await this.positions.refreshTotals(manager, touched);
    await this.availability.record(
      manager,
      [...before.values()].map((p) => ({
        before: p,
        after: after.get(positionKey(p))!,
        sourceEventAt: new Date(sourceTimes.get(positionKey(p)) ?? Date.now()),
      })),
    );
    return changedCount;
  }
}
