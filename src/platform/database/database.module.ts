import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../../config/index.js';
import { hubDataSourceOptions } from './data-source-options.js';

/**
 * The hub's DataSource. Migrations run on start (`migrationsRun`); `database.connect = false`
 * (used by the OpenAPI generator) builds the module graph without touching a database.
 */
@Module({})
export class DatabaseModule {
  static forRoot(migrations: NonNullable<DataSourceOptions['migrations']>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...hubDataSourceOptions(config.database.url ?? 'postgres://unset/unset', migrations, {
              max: config.database.poolMax,
              timeoutMs: config.database.poolTimeoutMs,
            }),
            autoLoadEntities: true,
            migrationsRun: true,
            retryAttempts: 3,
            retryDelay: 1000,
            manualInitialization: !config.database.connect,
          }),
        }),
      ],
    };
  }
}
