import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { DestinationStream } from 'pino';
import { ErpAdapterModule } from './adapters/erp/erp-adapter.module.js';
import { ErpSimulatorsModule } from './erp-simulators/erp-simulators.module.js';
import { AppConfig, ConfigModule } from './config/index.js';
import { DemoStartupSync } from './demo-startup-sync.js';
import { hubMigrations } from './migrations.js';
import { AuthModule } from './platform/auth/index.js';
import { DatabaseModule, UnitOfWorkModule } from './platform/database/index.js';
import { ExceptionsModule } from './platform/exceptions/exceptions.module.js';
import { HealthModule } from './platform/health/health.module.js';
import { IdempotencyModule } from './platform/idempotency/idempotency.module.js';
import { ClockModule } from './platform/clock/clock.module.js';
import { ErpChangesModule } from './platform/erp-changes/index.js';
import { JobsModule } from './platform/jobs/jobs.module.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { OutboxModule } from './platform/outbox/outbox.module.js';
import { LoggingModule } from './platform/logging/logging.module.js';
import { ProblemFilter } from './platform/problem/index.js';
import { FulfillmentModule } from './modules/fulfillment/index.js';
import { InventoryModule } from './modules/inventory/index.js';
import { MasterDataModule } from './modules/master-data/index.js';
import { OrdersModule } from './modules/orders/index.js';
import { PricingModule } from './modules/pricing/index.js';

export interface AppModuleOptions {
  /** Where JSON log lines go (stdout by default); tests pass a stream they can read. */
  logDestination?: DestinationStream;
  /**
   * False leaves the modules' ERP ports unbound, for tests that bind their own implementation
   * (a second global binding would not win over ErpAdapterModule's). Default true.
   */
  erpAdapter?: boolean;
}

/** The composition root: platform first, then the business modules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logDestination),
        DatabaseModule.forRoot(hubMigrations),
        UnitOfWorkModule,
        CqrsModule.forRoot(),
        MetricsModule,
        AuthModule,
        IdempotencyModule,
        ClockModule,
        JobsModule,
        ErpChangesModule,
        OutboxModule,
        ExceptionsModule,
        HealthModule,
        MasterDataModule,
        PricingModule,
        InventoryModule,
        OrdersModule,
        FulfillmentModule,
        // Binds ONE ERP adapter set (ERP_ADAPTER) to the ports the modules above declare.
        // Demo and test mode: the simulated ERP behind the demo database (nothing otherwise).
        ...(options.erpAdapter === false
          ? []
          : [ErpSimulatorsModule.forRoot(config), ErpAdapterModule.forRoot(config)]),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        ...(options.erpAdapter === false ? [] : [DemoStartupSync]),
      ],
    };
  }
}
