import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Warehouse } from '../../../domain/warehouse.js';
import { WarehouseMapper } from '../../../infrastructure/warehouse.mapper.js';
import { WarehouseOrmEntity } from '../../../infrastructure/warehouse.orm-entity.js';
import { GetWarehousesQuery } from './get-warehouses.query.js';

@QueryHandler(GetWarehousesQuery)
export class GetWarehousesHandler implements IQueryHandler<GetWarehousesQuery> {
  constructor(
    @InjectRepository(WarehouseOrmEntity)
    private readonly warehouses: Repository<WarehouseOrmEntity>,
  ) {}

  async execute(): Promise<Warehouse[]> {
    const rows = await this.warehouses.find({ order: { code: 'ASC' } });
    return rows.map((row) => WarehouseMapper.toDomain(row).value);
  }
}
