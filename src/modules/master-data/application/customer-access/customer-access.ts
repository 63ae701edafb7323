import { Injectable } from '@nestjs/common';
import { type CustomerScope, customerScopeAllows } from '../../../../platform/auth/index.js';
import { CustomerRepository } from '../../infrastructure/customer.repository.js';
import { MasterDataErrors } from '../master-data.errors.js';

/**
 * Whether a channel may see and act for a customer: the channel's scope (from the authenticated
 * principal) against the customer's account chain in the hierarchy this module holds. A customer
 * outside the scope is refused with exactly the error of an unknown one, so a channel cannot
 * even learn that it exists.
 */
@Injectable()
export class CustomerAccess {
  constructor(private readonly customers: CustomerRepository) {}

  /** False for an unknown customer as for one outside the scope. */
  async visible(erpId: string, scope: CustomerScope | undefined): Promise<boolean> {
    if (scope === undefined || scope.kind === 'ALL') return true;
    const chain = await this.customers.accountChain(erpId);
    return chain !== null && customerScopeAllows(scope, chain);
  }

  /** CUSTOMER_NOT_FOUND, worded as for an unknown customer, when the scope does not cover it. */
  async require(erpId: string, scope: CustomerScope | undefined): Promise<void> {
    if (!(await this.visible(erpId, scope))) throw MasterDataErrors.customerNotFound(erpId);
  }
}
