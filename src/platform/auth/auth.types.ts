export const CHANNEL_KINDS = [
  'ecommerce',
  'marketplace',
  'edi',
  'crm',
  'wms',
  'supplier',
  'operations',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Every scope an API key can carry. A route names the scopes it needs with @RequireScopes. */
export const SCOPES = [
  'orders:write',
  'orders:read',
  'pricing:read',
  'inventory:read',
  'inventory:write',
  'master-data:read',
  'master-data:write',
  'ops:admin',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: resolved by the API-key guard and attached to the request. */
export interface AuthenticatedChannel {
  channelId: string;
  channelName: string;
  kind: ChannelKind;
  apiKeyId: string;
  scopes: readonly Scope[];
}

export const CHANNEL_STATUSES = ['active', 'suspended'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const isScope = (value: string): value is Scope =>
  (SCOPES as readonly string[]).includes(value);
export const isChannelKind = (value: string): value is ChannelKind =>
  (CHANNEL_KINDS as readonly string[]).includes(value);
