import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Reservation } from '../../../domain/reservation.js';
import { ReservationStore } from '../../../infrastructure/reservation.store.js';
import { inSavepoint, inTransaction } from '../../../infrastructure/sql.js';
import { UnitOfWork } from '../../../../../platform/database/index.js';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import type { PositionDemand } from '../../../domain/reservation.js';
import {
  ConfirmErpAllocationCommand,
  ConsumeShippedCommand,
  type ErpAllocationPart,
  type PositionDemandView,
  ReleaseErpAllocationPartCommand,
  ExpireReservationsCommand,
  ReleaseErpAllocationCommand,
  ReleaseReservationCommand,
  SettleErpReleaseCommand,
} from './close-reservation.commands.js';
import { ReservationCloser } from './reservation-closer.js';

const EXPIRY_BATCH = 200;

function run<T>(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return manager ? inSavepoint(manager, 'inventory_close', work) : inTransaction(dataSource, work);
}

@CommandHandler(ReleaseReservationCommand)
export class ReleaseReservationHandler implements ICommandHandler<ReleaseReservationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly closer: ReservationCloser,
  ) {}

  execute(command: ReleaseReservationCommand): Promise<Reservation | null> {
    return run(this.dataSource, command.manager, (manager) =>
      this.closer.close(manager, command.orderId, 'RELEASED', command.reason),
    );
  }
}

@CommandHandler(ConfirmErpAllocationCommand)
export class ConfirmErpAllocationHandler implements ICommandHandler<ConfirmErpAllocationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly closer: ReservationCloser,
  ) {}

  execute(command: ConfirmErpAllocationCommand): Promise<Reservation | null> {
    return run(this.dataSource, command.manager, (manager) =>
      this.closer.close(
        manager,
        command.orderId,
        'HANDED_OVER',
        'the ERP confirmed its allocation',
        command.erpAllocatedAt,
      ),
    );
  }
}

@CommandHandler(ReleaseErpAllocationCommand)
export class ReleaseErpAllocationHandler implements ICommandHandler<ReleaseErpAllocationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly closer: ReservationCloser,
  ) {}

  execute(command: ReleaseErpAllocationCommand): Promise<Reservation | null> {
    return run(this.dataSource, command.manager, (manager) =>
      this.closer.releaseHandedOver(manager, command.orderId, command.reason),
    );
  }
}

@CommandHandler(SettleErpReleaseCommand)
export class SettleErpReleaseHandler implements ICommandHandler<SettleErpReleaseCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly closer: ReservationCloser,
  ) {}

  execute(command: SettleErpReleaseCommand): Promise<void> {
    return run(this.dataSource, command.manager, (manager) =>
      this.closer.settleRelease(manager, command.orderId, command.warehouse, command.outcome),
    );
  }
}

@CommandHandler(ExpireReservationsCommand)
export class ExpireReservationsHandler implements ICommandHandler<ExpireReservationsCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reservations: ReservationStore,
    private readonly closer: ReservationCloser,
  ) {}

  /** Batch after batch, each in its own transaction, until none is due. */
  async execute(): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await inTransaction(this.dataSource, async (manager) => {
        const due = await this.reservations.expireDue(manager, EXPIRY_BATCH);
        await this.closer.giveBack(manager, due, false);
        return due.length;
      });
      total += expired;
      if (expired < EXPIRY_BATCH) return total;
    }
  }
}

const requested = (lines: readonly ErpAllocationPart[]) =>
  lines.map((l) => ({ sku: l.sku, warehouse: l.warehouse, quantity: l.baseQuantity }));
const view = (demands: readonly PositionDemand[]): PositionDemandView[] =>
  demands.map((d) => ({ sku: d.sku, warehouse: d.warehouse, baseQuantity: d.quantity.toFixed() }));

@CommandHandler(ReleaseErpAllocationPartCommand)
export class ReleaseErpAllocationPartHandler implements ICommandHandler<ReleaseErpAllocationPartCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly closer: ReservationCloser,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReleaseErpAllocationPartHandler.name);
  }

  execute(command: ReleaseErpAllocationPartCommand): Promise<PositionDemandView[]> {
    return this.uow.runInSavepoint(async () => {
      const released = await this.closer.releaseHandedOverPart(
        this.uow.manager,
        command.orderId,
        requested(command.lines),
        command.releasedAt,
      );
      if (released.length > 0) {
        this.logger.info(
          { orderId: command.orderId, released: view(released), reason: command.reason },
          'part of a handed-over allocation given back',
        );
      }
      return view(released);
    });
  }
}

@CommandHandler(ConsumeShippedCommand)
export class ConsumeShippedHandler implements ICommandHandler<ConsumeShippedCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly closer: ReservationCloser,
  ) {}

  execute(command: ConsumeShippedCommand): Promise<PositionDemandView[]> {
    // No savepoint: taking shipped stock never refuses (it takes what the order still holds), so
    // there is nothing to undo on its own; it joins the caller's unit of work.
    return this.uow.run(async () =>
      view(
        await this.closer.consumeHandedOver(
          this.uow.manager,
          command.orderId,
          requested(command.lines),
        ),
      ),
    );
  }
}
