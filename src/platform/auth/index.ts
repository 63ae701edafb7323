export * from './auth.decorators.js';
export * from './auth.module.js';
export * from './auth.types.js';
export {
  type ApiKeyView,
  type AuthenticatedKey,
  type ChannelView,
  type CreateChannelInput,
  type CreatedChannel,
  type IssuedApiKey,
  type ListChannelsPage,
  ChannelsService,
  KEY_CACHE_TTL_MS,
  validateChannelInput,
} from './channels.service.js';
export { ApiKeyOrmEntity } from './api-key.orm-entity.js';
export { ChannelOrmEntity } from './channel.orm-entity.js';
