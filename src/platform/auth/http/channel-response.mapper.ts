import { ApplicationError } from '../../errors/index.js';
import { isCursorText } from '../../cursor/index.js';
import type { AuthenticatedChannel } from '../auth.types.js';
import type { ApiKeyView, ChannelView } from '../channels.service.js';
import type { AdminApiKeyResponse, AdminChannelResponse } from './dto/admin-channel.response.js';
import type { CurrentChannelResponse } from './dto/current-channel.response.js';

export function toCurrentChannelResponse(
  channel: AuthenticatedChannel,
  key: ApiKeyView,
): CurrentChannelResponse {
  return {
    id: channel.channelId,
    name: channel.channelName,
    kind: channel.kind,
    scopes: [...channel.scopes],
    keyPrefix: key.prefix,
  };
}

export function toAdminChannelResponse(channel: ChannelView): AdminChannelResponse {
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    status: channel.status,
    rateLimitPerMinute: channel.rateLimitPerMinute,
    createdAt: channel.createdAt.toISOString(),
    keys: channel.keys.map(toAdminApiKeyResponse),
  };
}

function toAdminApiKeyResponse(key: ApiKeyView): AdminApiKeyResponse {
  return {
    id: key.id,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

/** Channels page by name: the cursor is the last name of the page, opaque to callers. */
export function encodeChannelCursor(lastName: string): string {
  return Buffer.from(lastName, 'utf8').toString('base64url');
}

export function decodeChannelCursor(cursor: string): string {
  const name = /^[A-Za-z0-9_-]+$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  if (name.length === 0 || encodeChannelCursor(name) !== cursor || !isCursorText(name, 200)) {
    throw new ApplicationError(
      'VALIDATION_FAILED',
      'The request has invalid fields.',
      'validation',
      {
        violations: [
          { code: 'INVALID_CURSOR', field: 'cursor', message: 'cursor is not a nextCursor value' },
        ],
      },
    );
  }
  return name;
}
