import { Query } from '@nestjs/cqrs';
import type { Reservation } from '../../../domain/reservation.js';

/** Every reservation made for an order (active or not), oldest first. */
export class GetReservationsQuery extends Query<Reservation[]> {
  constructor(readonly orderId: string) {
    super();
  }
}
