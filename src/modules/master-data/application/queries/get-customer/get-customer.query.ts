import { Query } from '@nestjs/cqrs';
import type { CustomerScope } from '../../../../../platform/auth/index.js';
import type { Customer } from '../../../domain/customer.js';
import type { Synced } from '../../../domain/synced.js';

/**
 * One customer by ERP customer number, with ship-tos; CUSTOMER_NOT_FOUND when unknown, or when
 * `scope` (the calling channel's customer scope) does not cover it. No scope: no restriction.
 */
export class GetCustomerQuery extends Query<Synced<Customer>> {
  constructor(
    readonly erpId: string,
    readonly scope?: CustomerScope,
  ) {
    super();
  }
}
