import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { Item } from '../domain/item.js';
import type { Synced } from '../domain/synced.js';
import { ItemMapper } from './item.mapper.js';
import { ItemOrmEntity, ItemUomOrmEntity } from './item.orm-entity.js';

/** A position in the items change feed: the last item returned. */
export interface ItemFeedPosition {
  changeSeq: string;
  sku: string;
}

export interface ItemChange extends Synced<Item> {
  position: ItemFeedPosition;
}

@Injectable()
export class ItemRepository {
  constructor(
    @InjectRepository(ItemOrmEntity) private readonly items: Repository<ItemOrmEntity>,
    @InjectRepository(ItemUomOrmEntity) private readonly uoms: Repository<ItemUomOrmEntity>,
  ) {}

  async findBySku(sku: string): Promise<Synced<Item> | null> {
    const row = await this.items.findOne({ where: { sku }, relations: { uoms: true } });
    return row ? ItemMapper.toDomain(row, row.uoms ?? []) : null;
  }

  /**
   * Items in the order the hub last wrote them, after `after`. See MasterDataSyncWriter for why
   * `(change_seq, sku)` order never skips a row that commits while a reader is paging.
   */
  async listChanges(input: {
    syncedSince: Date | null;
    after: ItemFeedPosition | null;
    limit: number;
  }): Promise<ItemChange[]> {
    const query = this.items.createQueryBuilder('i');
    if (input.syncedSince) query.andWhere('i.syncedAt >= :since', { since: input.syncedSince });
    if (input.after) {
      query.andWhere('(i.changeSeq, i.sku) > (CAST(:seq AS bigint), :sku)', {
        seq: input.after.changeSeq,
        sku: input.after.sku,
      });
    }
    const rows = await query
      .orderBy('i.changeSeq', 'ASC')
      .addOrderBy('i.sku', 'ASC')
      .limit(input.limit)
      .getMany();
    if (rows.length === 0) return [];
    const uoms = await this.uoms.find({ where: { sku: In(rows.map((r) => r.sku)) } });
    const bySku = new Map<string, ItemUomOrmEntity[]>();
    for (const u of uoms) bySku.set(u.sku, [...(bySku.get(u.sku) ?? []), u]);
    return rows.map((row) => ({
      ...ItemMapper.toDomain(row, bySku.get(row.sku) ?? []),
      position: { changeSeq: row.changeSeq, sku: row.sku },
    }));
  }
}
