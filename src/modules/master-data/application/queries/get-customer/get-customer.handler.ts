import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Customer } from '../../../domain/customer.js';
import type { Synced } from '../../../domain/synced.js';
import { CustomerRepository } from '../../../infrastructure/customer.repository.js';
import { CustomerAccess } from '../../customer-access/customer-access.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import { GetCustomerQuery } from './get-customer.query.js';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly access: CustomerAccess,
  ) {}

  async execute(query: GetCustomerQuery): Promise<Synced<Customer>> {
    await this.access.require(query.erpId, query.scope);
    const customer = await this.customers.findByErpId(query.erpId);
    if (!customer) throw MasterDataErrors.customerNotFound(query.erpId);
    return customer;
  }
}
