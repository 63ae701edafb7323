import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { Customer } from '../domain/customer.js';
import type { Synced } from '../domain/synced.js';
import { CustomerMapper } from './customer.mapper.js';
import { CustomerOrmEntity, ShipToOrmEntity } from './customer.orm-entity.js';

/** A position in the customers change feed: the last customer returned. */
export interface CustomerFeedPosition {
  changeSeq: string;
  erpId: string;
}

export interface CustomerChange extends Synced<Customer> {
  position: CustomerFeedPosition;
}

@Injectable()
export class CustomerRepository {
  constructor(
    @InjectRepository(CustomerOrmEntity) private readonly customers: Repository<CustomerOrmEntity>,
    @InjectRepository(ShipToOrmEntity) private readonly shipTos: Repository<ShipToOrmEntity>,
  ) {}

  async findByErpId(erpId: string): Promise<Synced<Customer> | null> {
    const row = await this.customers.findOne({
      where: { erpId },
      relations: { shipTos: true },
    });
    return row ? CustomerMapper.toDomain(row, row.shipTos ?? []) : null;
  }

  /**
   * Customers in the order the hub last wrote them, after `after` (see MasterDataWriter for why
   * `(change_seq, erp_id)` order never skips a row that commits while a reader is paging).
   */
  async listChanges(input: {
    after: CustomerFeedPosition;
    limit: number;
  }): Promise<CustomerChange[]> {
    const rows = await this.customers
      .createQueryBuilder('c')
      .where('(c.changeSeq, c.erpId) > (CAST(:seq AS bigint), :erpId)', {
        seq: input.after.changeSeq,
        erpId: input.after.erpId,
      })
      .orderBy('c.changeSeq', 'ASC')
      .addOrderBy('c.erpId', 'ASC')
      .limit(input.limit)
      .getMany();
    if (rows.length === 0) return [];
    const shipTos = await this.shipTos.find({
      where: { customerErpId: In(rows.map((r) => r.erpId)) },
    });
    const byCustomer = new Map<string, ShipToOrmEntity[]>();
    for (const s of shipTos) {
      byCustomer.set(s.customerErpId, [...(byCustomer.get(s.customerErpId) ?? []), s]);
    }
    return rows.map((row) => ({
      ...CustomerMapper.toDomain(row, byCustomer.get(row.erpId) ?? []),
      position: { changeSeq: row.changeSeq, erpId: row.erpId },
    }));
  }
}
