import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MasterDataSyncEngine } from './application/commands/sync-master-data/master-data-sync.engine.js';
import { MasterDataSyncSchedule } from './application/commands/sync-master-data/master-data-sync.schedule.js';
import { SyncMasterDataHandler } from './application/commands/sync-master-data/sync-master-data.handler.js';
import { GetCustomerHandler } from './application/queries/get-customer/get-customer.handler.js';
import { GetItemHandler } from './application/queries/get-item/get-item.handler.js';
import { GetSyncRunHandler } from './application/queries/get-sync-run/get-sync-run.handler.js';
import { ListItemChangesHandler } from './application/queries/list-item-changes/list-item-changes.handler.js';
import { ListSyncRunsHandler } from './application/queries/list-sync-runs/list-sync-runs.handler.js';
import { CustomersController } from './http/customers.controller.js';
import { ItemsController } from './http/items.controller.js';
import { MasterDataSyncController } from './http/master-data-sync.controller.js';
import { CustomerOrmEntity, ShipToOrmEntity } from './infrastructure/customer.orm-entity.js';
import { CustomerRepository } from './infrastructure/customer.repository.js';
import { ItemOrmEntity, ItemUomOrmEntity } from './infrastructure/item.orm-entity.js';
import { ItemRepository } from './infrastructure/item.repository.js';
import { MasterDataWriter } from './infrastructure/master-data.writer.js';
import { SyncLock } from './infrastructure/sync-lock.js';
import { SyncRunOrmEntity, SyncWatermarkOrmEntity } from './infrastructure/sync-run.orm-entity.js';
import { SyncRunRepository } from './infrastructure/sync-run.repository.js';
import { WarehouseOrmEntity } from './infrastructure/warehouse.orm-entity.js';

const commandHandlers = [SyncMasterDataHandler];
const queryHandlers = [
  GetCustomerHandler,
  GetItemHandler,
  ListItemChangesHandler,
  ListSyncRunsHandler,
  GetSyncRunHandler,
];
const repositories = [
  CustomerRepository,
  ItemRepository,
  SyncRunRepository,
  MasterDataWriter,
  SyncLock,
];

/**
 * Master data: the hub's copy of ERP customers, items and warehouses, the sync that keeps it
 * current, and the read API for channels.
 *
 * The ERP port MasterDataFeed is NOT provided here: the module that binds an ERP adapter
 * (ErpAdapterModule) provides and exports it. Until one does, syncs answer 503.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      CustomerOrmEntity,
      ShipToOrmEntity,
      ItemOrmEntity,
      ItemUomOrmEntity,
      WarehouseOrmEntity,
      SyncRunOrmEntity,
      SyncWatermarkOrmEntity,
    ]),
  ],
  controllers: [CustomersController, ItemsController, MasterDataSyncController],
  providers: [
    ...commandHandlers,
    ...queryHandlers,
    ...repositories,
    MasterDataSyncEngine,
    MasterDataSyncSchedule,
  ],
})
export class MasterDataModule {}
