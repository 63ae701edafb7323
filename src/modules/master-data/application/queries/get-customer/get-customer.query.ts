import { Query } from '@nestjs/cqrs';
import type { Customer } from '../../../domain/customer.js';
import type { Synced } from '../../../domain/synced.js';

/** One customer by ERP customer number, with ship-tos; CUSTOMER_NOT_FOUND when unknown. */
export class GetCustomerQuery extends Query<Synced<Customer>> {
  constructor(readonly erpId: string) {
    super();
  }
}
