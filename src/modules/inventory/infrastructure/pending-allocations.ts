import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AvailabilityOutbox } from './availability.outbox.js';
import { PositionStore } from './position.store.js';
import { recomputePositions } from './recompute-positions.js';
import { inTransaction, queryRows } from './sql.js';

/**
 * Allocations handed over to the ERP (reservation HANDED_OVER) that the ERP's reported figures do
 * not include yet, and handed-over stock given back (posted order cancelled) that they still
 * include: a release counts once the ERP confirmed its cancel (`released_at`). Once an inventory sync pass has read the ERP balances up to a time, the ERP's
 * allocated quantities include every allocation it made before: the pending ones allocated by
 * then are dropped, so nothing stays counted twice.
 */
@Injectable()
export class PendingAllocations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly positions: PositionStore,
    private readonly availability: AvailabilityOutbox,
  ) {}

  /** Drops pending allocations made at or before `seenThrough`; returns how many. */
  async absorb(seenThrough: Date): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const keys = (
        await queryRows<{ sku: string; warehouse_code: string }>(
          manager,
          `SELECT sku, warehouse_code FROM inv_pending_allocation WHERE allocated_at <= $1
           UNION
           SELECT sku, warehouse_code FROM inv_pending_release WHERE released_at <= $1`,
          [seenThrough],
        )
      ).map((r) => ({ sku: r.sku, warehouse: r.warehouse_code }));
      if (keys.length === 0) return 0;
      const dropped = await recomputePositions(
        manager,
        this.positions,
        this.availability,
        keys,
        () =>
          queryRows<{ n: number }>(
            manager,
            `WITH allocations AS (
             DELETE FROM inv_pending_allocation
              WHERE allocated_at <= $1
                AND (sku, warehouse_code) IN (SELECT * FROM unnest($2::text[], $3::text[]))
              RETURNING 1),
           releases AS (
             DELETE FROM inv_pending_release
              WHERE released_at <= $1
                AND (sku, warehouse_code) IN (SELECT * FROM unnest($2::text[], $3::text[]))
              RETURNING 1)
           SELECT (SELECT count(*) FROM allocations)::int + (SELECT count(*) FROM releases)::int
                  AS n`,
            [seenThrough, keys.map((k) => k.sku), keys.map((k) => k.warehouse)],
          ),
      );
      return dropped[0]?.n ?? 0;
    });
  }
}
