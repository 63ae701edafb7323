import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Reservation } from '../../../domain/reservation.js';
import { ReservationStore } from '../../../infrastructure/reservation.store.js';
import { inSavepoint, inTransaction } from '../../../infrastructure/sql.js';
import {
  ConfirmErpAllocationCommand,
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
