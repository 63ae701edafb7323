import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Reservation } from '../../../domain/reservation.js';
import { ReservationStore } from '../../../infrastructure/reservation.store.js';
import { GetReservationsQuery } from './get-reservations.query.js';

@QueryHandler(GetReservationsQuery)
export class GetReservationsHandler implements IQueryHandler<GetReservationsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reservations: ReservationStore,
  ) {}

  execute(query: GetReservationsQuery): Promise<Reservation[]> {
    return this.reservations.findByOrder(this.dataSource.manager, query.orderId);
  }
}
