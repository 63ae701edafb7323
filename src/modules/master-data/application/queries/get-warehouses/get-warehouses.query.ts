import { Query } from '@nestjs/cqrs';
import type { Warehouse } from '../../../domain/warehouse.js';

/** Every warehouse the hub knows, ordered by code (active or not: see `active`). */
export class GetWarehousesQuery extends Query<Warehouse[]> {}
