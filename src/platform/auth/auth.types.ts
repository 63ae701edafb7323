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
  // A WMS/3PL or drop-ship supplier confirms shipments (POST /v1/shipments).
  'fulfillment:write',
  'ops:admin',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Channel kinds run by the distributor itself: they act for the whole customer book. */
export const INTERNAL_CHANNEL_KINDS: readonly ChannelKind[] = ['crm', 'operations'];

export const CUSTOMER_SCOPE_KINDS = ['ALL', 'LISTED'] as const;
export type CustomerScopeKind = (typeof CUSTOMER_SCOPE_KINDS)[number];

/**
 * Which customers a channel may act for (read, quote, order): every customer, or the listed
 * accounts, each with its child accounts in the ERP customer hierarchy. Anything outside the
 * scope is answered exactly as an unknown customer.
 */
export type CustomerScope =
  { readonly kind: 'ALL' } | { readonly kind: 'LISTED'; readonly accounts: readonly string[] };

export const ALL_CUSTOMERS: CustomerScope = Object.freeze({ kind: 'ALL' });

/**
 * Whether a scope covers a customer, given the customer's account chain: its own number, then its
 * parent's, and so on up (the module that knows the hierarchy supplies it). `undefined` is no
 * channel at all (jobs, operations re-validating an order): nothing to restrict.
 */
export function customerScopeAllows(
  scope: CustomerScope | undefined,
  accountChain: Iterable<string>,
): boolean {
  if (scope === undefined || scope.kind === 'ALL') return true;
  const listed = new Set(scope.accounts);
  for (const account of accountChain) if (listed.has(account)) return true;
  return false;
}

/** Who is calling: resolved by the API-key guard and attached to the request. */
export interface AuthenticatedChannel {
  channelId: string;
  channelName: string;
  kind: ChannelKind;
  apiKeyId: string;
  scopes: readonly Scope[];
  customerScope: CustomerScope;
}

export const CHANNEL_STATUSES = ['active', 'suspended'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const isScope = (value: string): value is Scope =>
  (SCOPES as readonly string[]).includes(value);
export const isChannelKind = (value: string): value is ChannelKind =>
  (CHANNEL_KINDS as readonly string[]).includes(value);
