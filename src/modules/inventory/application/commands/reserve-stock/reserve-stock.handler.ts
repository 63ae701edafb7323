import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../../../../config/index.js';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { availableToPromise } from '../../../domain/availability.js';
import {
  allowsWarehouse,
  channelAvailable,
  type ChannelAvailabilityRule,
  NO_BUFFER,
} from '../../../domain/channel-rule.js';
import { formatQuantity } from '../../../domain/quantity.js';
import {
  checkReservationRequest,
  demandByPosition,
  type PositionDemand,
  type Reservation,
  type ReservationLine,
  sameDemand,
} from '../../../domain/reservation.js';
import {
  AvailabilityOutbox,
  type PositionChange,
} from '../../../infrastructure/availability.outbox.js';
import { PositionStore } from '../../../infrastructure/position.store.js';
import { ReservationStore } from '../../../infrastructure/reservation.store.js';
import { inSavepoint, inTransaction } from '../../../infrastructure/sql.js';
import { ChannelRules } from '../../channel-rules.js';
import { InventoryErrors, type Shortage } from '../../inventory.errors.js';
import { ReserveStockCommand } from './reserve-stock.command.js';

const MAX_TTL_SECONDS = 30 * 86400;

/** Thrown inside the transaction to roll it back; turned into INSUFFICIENT_STOCK outside. */
class NotEnoughStock extends Error {
  constructor(readonly demands: PositionDemand[]) {
    super('not enough stock');
  }
}

@CommandHandler(ReserveStockCommand)
export class ReserveStockHandler implements ICommandHandler<ReserveStockCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reservations: ReservationStore,
    private readonly positions: PositionStore,
    private readonly availability: AvailabilityOutbox,
    private readonly rules: ChannelRules,
    private readonly config: AppConfig,
  ) {}

  async execute(command: ReserveStockCommand): Promise<Reservation> {
    const { input } = command;
    const checked = checkReservationRequest(input.orderId, input.lines);
    const ttl = input.ttlSeconds ?? this.config.inventory.reservationTtlSeconds;
    const ttlOk = Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TTL_SECONDS;
    if (!checked.ok || !ttlOk) {
      throw InventoryErrors.invalidReservation([
        ...(checked.ok ? [] : checked.problems),
        ...(ttlOk
          ? []
          : [
              {
                code: 'INVALID_TTL',
                field: 'ttlSeconds',
                message: `ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`,
              },
            ]),
      ]);
    }
    const { orderId, lines } = checked.value;
    const rule: ChannelAvailabilityRule = input.channel
      ? (await this.rules.effective(input.channel)).rule
      : { warehouses: null, buffer: NO_BUFFER };
    const refused = lines.filter((l) => !allowsWarehouse(rule, l.warehouse));
    if (refused.length > 0) {
      throw InventoryErrors.warehouseNotAllowed(
        refused.map((l) => ({
          code: 'WAREHOUSE_NOT_ALLOWED',
          field: `lines[${l.lineNo - 1}].warehouse`,
          message: `the channel may not sell from warehouse ${l.warehouse}`,
        })),
      );
    }
    const reservation = {
      id: randomUUID(),
      orderId,
      channelId: input.channel?.channelId ?? null,
      expiresAt: new Date(Date.now() + ttl * 1000),
      lines,
      correlationId: CorrelationContext.current() ?? null,
    };
    const work = (manager: EntityManager): Promise<Reservation> =>
      this.reserve(manager, reservation, rule);
    try {
      return command.manager
        ? await inSavepoint(command.manager, 'inventory_reserve', work)
        : await inTransaction(this.dataSource, work);
    } catch (error) {
      if (!(error instanceof NotEnoughStock)) throw error;
      throw InventoryErrors.insufficientStock(
        await this.shortages(command.manager ?? this.dataSource.manager, error.demands, rule),
      );
    }
  }

  private async reserve(
    manager: EntityManager,
    r: {
      id: string;
      orderId: string;
      channelId: string | null;
      expiresAt: Date;
      lines: ReservationLine[];
      correlationId: string | null;
    },
    rule: ChannelAvailabilityRule,
  ): Promise<Reservation> {
    const createdAt = new Date();
    if (!(await this.reservations.insertActive(manager, r))) {
      // A retry of the same request (a crash after commit, a replayed command) gets the
      // reservation it made; another request for the order is a conflict.
      const existing = await this.reservations.findActiveByOrder(manager, r.orderId);
      if (existing && sameDemand(existing.lines, r.lines)) return existing;
      throw InventoryErrors.reservationExists(r.orderId, existing?.id ?? 'unknown');
    }
    // One conditional UPDATE for every position (see reserveAtPositions for why this is safe
    // under concurrency); too little anywhere and the savepoint/transaction undoes it all.
    const demands = demandByPosition(r.lines);
    const held = await this.reservations.reserveAtPositions(manager, demands, rule.buffer);
    if (!held) throw new NotEnoughStock(demands);
    const changes: PositionChange[] = held.map((after, i) => ({
      before: {
        ...after,
        figures: {
          ...after.figures,
          reserved: formatQuantity(demands[i].quantity.negated().plus(after.figures.reserved)),
        },
      },
      after,
      sourceEventAt: createdAt,
    }));
    await this.availability.record(manager, changes);
    return {
      id: r.id,
      orderId: r.orderId,
      channelId: r.channelId,
      status: 'ACTIVE',
      lines: r.lines,
      expiresAt: r.expiresAt,
      createdAt,
      closedAt: null,
      closeReason: null,
    };
  }

  /** What the channel could reserve at each position asked for, read after the rollback. */
  private async shortages(
    manager: EntityManager,
    demands: PositionDemand[],
    rule: ChannelAvailabilityRule,
  ): Promise<Shortage[]> {
    const found = await this.positions.find(
      manager,
      demands.map((d) => d.sku),
    );
    const shortages: Shortage[] = [];
    for (const d of demands) {
      const position = found.find((p) => p.sku === d.sku && p.warehouse === d.warehouse);
      const available = position
        ? channelAvailable(rule, d.warehouse, availableToPromise(position.figures))
        : null;
      if (!available || available.lessThan(d.quantity)) {
        shortages.push({
          sku: d.sku,
          warehouse: d.warehouse,
          requested: formatQuantity(d.quantity),
          available: available ? formatQuantity(available) : '0',
        });
      }
    }
    return shortages;
  }
}
