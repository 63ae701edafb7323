import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeltaSyncModule } from '../../platform/delta-sync/index.js';
import { ChangeRelayJob } from './application/governance/change-relay.job.js';
import { CustomerGovernanceService } from './application/governance/customer-governance.service.js';
import { ErpWriteBackJob } from './application/governance/erp-write-back.job.js';
import { GovernanceQueries } from './application/governance/governance.queries.js';
import { MasterDataSyncSchedule } from './application/commands/sync-master-data/master-data-sync.schedule.js';
import { SyncMasterDataHandler } from './application/commands/sync-master-data/sync-master-data.handler.js';
import { CustomerAccess } from './application/customer-access/customer-access.js';
import { GetCustomerHandler } from './application/queries/get-customer/get-customer.handler.js';
import { GetItemHandler } from './application/queries/get-item/get-item.handler.js';
import { GetItemsHandler } from './application/queries/get-items/get-items.handler.js';
import { GetWarehousesHandler } from './application/queries/get-warehouses/get-warehouses.handler.js';
import { ListCustomerChangesHandler } from './application/queries/list-customer-changes/list-customer-changes.handler.js';
import { GetSyncRunHandler } from './application/queries/get-sync-run/get-sync-run.handler.js';
import { ListItemChangesHandler } from './application/queries/list-item-changes/list-item-changes.handler.js';
import { ListSyncRunsHandler } from './application/queries/list-sync-runs/list-sync-runs.handler.js';
import { CustomersController } from './http/customers.controller.js';
import { GovernanceAdminController } from './http/governance-admin.controller.js';
import { ItemsController } from './http/items.controller.js';
import { MasterDataSyncController } from './http/master-data-sync.controller.js';
import { CustomerOrmEntity, ShipToOrmEntity } from './infrastructure/customer.orm-entity.js';
import { CustomerRepository } from './infrastructure/customer.repository.js';
import { ItemOrmEntity, ItemUomOrmEntity } from './infrastructure/item.orm-entity.js';
import { ItemRepository } from './infrastructure/item.repository.js';
import { AuditLog } from './infrastructure/audit-log.js';
import { MasterDataSyncWriter } from './infrastructure/master-data-sync.writer.js';
import { MasterDataUnitOfWork } from './infrastructure/master-data.unit-of-work.js';
import {
  loadSystemOfRecord,
  SystemOfRecordMatrix,
} from './infrastructure/system-of-record.loader.js';
import { WarehouseOrmEntity } from './infrastructure/warehouse.orm-entity.js';

const commandHandlers = [SyncMasterDataHandler];
const queryHandlers = [
  GetCustomerHandler,
  GetItemHandler,
  GetItemsHandler,
  GetWarehousesHandler,
  ListItemChangesHandler,
  ListCustomerChangesHandler,
  ListSyncRunsHandler,
  GetSyncRunHandler,
];
const repositories = [
  CustomerRepository,
  ItemRepository,
  MasterDataSyncWriter,
  AuditLog,
  MasterDataUnitOfWork,
];
const access = [CustomerAccess];
const governance = [CustomerGovernanceService, GovernanceQueries, ErpWriteBackJob, ChangeRelayJob];

/** Loaded and validated while the module starts: a bad matrix stops start-up, naming the entry. */
const systemOfRecord = {
  provide: SystemOfRecordMatrix,
  useFactory: (config: AppConfig) => loadSystemOfRecord(config.systemOfRecordFile),
  inject: [AppConfig],
};

/**
 * Master data: the hub's copy of ERP customers, items and warehouses, the sync that keeps it
 * current (on the generic delta-sync runner, with the governed writer), and the read API for
 * channels.
 *
 * The ERP port MasterDataFeed is NOT provided here: the module that binds an ERP adapter
 * (ErpAdapterModule) provides and exports it. Until one does, syncs answer 503.
 */
@Module({
  imports: [
    DeltaSyncModule,
    TypeOrmModule.forFeature([
      CustomerOrmEntity,
      ShipToOrmEntity,
      ItemOrmEntity,
      ItemUomOrmEntity,
      WarehouseOrmEntity,
    ]),
  ],
  controllers: [
    CustomersController,
    ItemsController,
    MasterDataSyncController,
    GovernanceAdminController,
  ],
  providers: [
    ...commandHandlers,
    ...queryHandlers,
    ...repositories,
    systemOfRecord,
    ...governance,
    ...access,
    MasterDataSyncSchedule,
  ],
})
export class MasterDataModule {}
