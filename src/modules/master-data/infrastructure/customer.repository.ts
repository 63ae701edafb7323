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

/** Customer hierarchies are a few levels deep; the bound only stops a cycle in bad ERP data. */
const MAX_HIERARCHY_DEPTH = 20;

/**
 * The accounts, then their child accounts, and so on down (UNION stops at a cycle). erp_id is
 * COLLATE "C" (migration 1764400500000): the seed term must carry the same collation.
 */
const DESCENDANTS_OF_ACCOUNTS = `
  WITH RECURSIVE scope_account(erp_id) AS (
    SELECT unnest(CAST(:accounts AS text[])) COLLATE "C"
    UNION
    SELECT child.erp_id FROM md_customer child JOIN scope_account a ON child.parent_erp_id = a.erp_id
  )
  SELECT erp_id FROM scope_account`;

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
   * The customer's account chain: its own number, its parent's, and so on up (a parent the hub
   * does not hold yet still counts by its number); null when the customer is unknown.
   */
  async accountChain(erpId: string): Promise<string[] | null> {
    const rows: { erp_id: string; parent_erp_id: string | null }[] = await this.customers.query(
      `WITH RECURSIVE chain(erp_id, parent_erp_id, depth) AS (
         SELECT erp_id, parent_erp_id, 0 FROM md_customer WHERE erp_id = $1
         UNION ALL
         SELECT p.erp_id, p.parent_erp_id, c.depth + 1
           FROM md_customer p JOIN chain c ON p.erp_id = c.parent_erp_id
          WHERE c.depth < $2
       )
       SELECT erp_id, parent_erp_id FROM chain ORDER BY depth`,
      [erpId, MAX_HIERARCHY_DEPTH],
    );
    if (rows.length === 0) return null;
    const chain = rows.map((r) => r.erp_id);
    const top = rows[rows.length - 1].parent_erp_id;
    return top === null ? chain : [...chain, top];
  }

  /**
   * Customers in the order the hub last wrote them, after `after` (see MasterDataWriter for why
   * `(change_seq, erp_id)` order never skips a row that commits while a reader is paging); only
   * those written at/after `syncedSince`, and only the `accounts` and their child accounts when
   * given.
   */
  async listChanges(input: {
    after: CustomerFeedPosition;
    limit: number;
    syncedSince?: Date | null;
    accounts?: readonly string[];
  }): Promise<CustomerChange[]> {
    const query = this.customers
      .createQueryBuilder('c')
      .where('(c.changeSeq, c.erpId) > (CAST(:seq AS bigint), :erpId)', {
        seq: input.after.changeSeq,
        erpId: input.after.erpId,
      });
    if (input.syncedSince) query.andWhere('c.syncedAt >= :since', { since: input.syncedSince });
    if (input.accounts) {
      query.andWhere(`c.erp_id IN (${DESCENDANTS_OF_ACCOUNTS})`, { accounts: input.accounts });
    }
    const rows = await query
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
