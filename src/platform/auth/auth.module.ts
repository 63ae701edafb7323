import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyOrmEntity } from './api-key.orm-entity.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { ChannelRateLimiter } from './channel-rate-limiter.js';
import { ChannelOrmEntity } from './channel.orm-entity.js';
import { ChannelsService } from './channels.service.js';
import { DemoChannelsSeeder } from './demo-channels.seeder.js';
import { AdminChannelsController } from './http/admin-channels.controller.js';
import { ChannelsController } from './http/channels.controller.js';

/**
 * Channel authentication: API keys (stored hashed) carrying a channel and scopes, checked by a
 * global guard that closes every route not marked @Public(), plus a per-channel rate limit.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ChannelOrmEntity, ApiKeyOrmEntity])],
  controllers: [ChannelsController, AdminChannelsController],
  providers: [
    ChannelsService,
    { provide: ChannelRateLimiter, useFactory: () => new ChannelRateLimiter() },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    DemoChannelsSeeder,
  ],
  exports: [ChannelsService],
})
export class AuthModule {}
