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
  type KeyCacheInvalidation,
  type ListChannelsPage,
  type RotateKeyInput,
  type RotatedApiKey,
  AUTH_INVALIDATION_CHANNEL,
  ChannelsService,
  INVALID_KEY_DETAIL,
  KEY_CACHE_TTL_MS,
  MAX_GRACE_SECONDS,
  validateChannelInput,
  validateCustomerScope,
} from './channels.service.js';
export { KeyCacheListener } from './key-cache.listener.js';
export { ApiKeyOrmEntity } from './api-key.orm-entity.js';
export { ChannelOrmEntity } from './channel.orm-entity.js';
