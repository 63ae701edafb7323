import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Customer } from '../domain/customer.js';
import type { Synced } from '../domain/synced.js';
import { CustomerMapper } from './customer.mapper.js';
import { CustomerOrmEntity } from './customer.orm-entity.js';

@Injectable()
export class CustomerRepository {
  constructor(
    @InjectRepository(CustomerOrmEntity) private readonly customers: Repository<CustomerOrmEntity>,
  ) {}

  async findByErpId(erpId: string): Promise<Synced<Customer> | null> {
    const row = await this.customers.findOne({
      where: { erpId },
      relations: { shipTos: true },
    });
    return row ? CustomerMapper.toDomain(row, row.shipTos ?? []) : null;
  }
}
