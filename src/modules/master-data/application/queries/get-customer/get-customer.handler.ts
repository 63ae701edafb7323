import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Customer } from '../../../domain/customer.js';
import type { Synced } from '../../../domain/synced.js';
import { CustomerRepository } from '../../../infrastructure/customer.repository.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import { GetCustomerQuery } from './get-customer.query.js';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(private readonly customers: CustomerRepository) {}

  async execute(query: GetCustomerQuery): Promise<Synced<Customer>> {
    const customer = await this.customers.findByErpId(query.erpId);
    if (!customer) throw MasterDataErrors.customerNotFound(query.erpId);
    return customer;
  }
}
