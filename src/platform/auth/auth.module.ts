import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyOrmEntity } from './api-key.orm-entity.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { AppConfig } from '../../config/index.js';
import { ChannelCustomerOrmEntity } from './channel-customer.orm-entity.js';
import { CustomerScopeAudit } from './customer-scope.audit.js';
import { KeyCacheListener } from './key-cache.listener.js';
import { ChannelRateLimiter } from './channel-rate-limiter.js';
import { ChannelOrmEntity } from './channel.orm-entity.js';
import { ChannelsService } from './channels.service.js';
import { DemoChannelsSeeder } from './demo-channels.seeder.js';
import { AdminChannelsController } from './http/admin-channels.controller.js';
import { ChannelsController } from './http/channels.controller.js';
import { ChannelAccessController } from './http/channel-access.controller.js';

/**
 * Channel authentication: API keys (stored hashed) carrying a channel and scopes, checked by a
 * global guard that closes every route not marked @Public(), plus a per-channel rate limit and a
 * per-client throttle of failed authentications; each channel's customer scope; key-cache
 * invalidation across instances (LISTEN/NOTIFY).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ChannelOrmEntity, ApiKeyOrmEntity, ChannelCustomerOrmEntity]),
  ],
  controllers: [ChannelsController, AdminChannelsController, ChannelAccessController],
  providers: [
    ChannelsService,
    { provide: ChannelRateLimiter, useFactory: () => new ChannelRateLimiter() },
    {
      provide: AuthFailureLimiter,
      useFactory: (config: AppConfig) => new AuthFailureLimiter(config.http.authFailuresPerMinute),
      inject: [AppConfig],
    },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    KeyCacheListener,
    // After the seeder: demo channels are narrowed before the audit looks.
    DemoChannelsSeeder,
    CustomerScopeAudit,
  ],
  exports: [ChannelsService],
})
export class AuthModule {}
