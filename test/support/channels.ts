import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ALL_CUSTOMERS,
  type ChannelKind,
  ChannelsService,
  type ChannelView,
  type CustomerScope,
  type Scope,
  SCOPES,
} from '../../src/platform/auth/index.js';

export interface TestChannelOptions {
  /** Default `ecommerce`. */
  kind?: ChannelKind;
  /** Default: every scope except `ops:admin`. */
  scopes?: readonly Scope[];
  /** Default: null (the hub-wide RATE_LIMIT_PER_MINUTE). */
  rateLimitPerMinute?: number;
  /** Default: a unique `test-<kind>-<random>` name. */
  name?: string;
  /** Default: ALL (every customer), what the suites written before customer scopes assume. */
  customerScope?: CustomerScope;
}

export interface TestChannel {
  channel: ChannelView;
  /** The plaintext key, for `Authorization: Bearer <apiKey>` or `X-Api-Key`. */
  apiKey: string;
}

/** A fresh channel with one API key, created through ChannelsService (as the CLI does). */
export async function createTestChannel(
  app: INestApplicationContext,
  options: TestChannelOptions = {},
): Promise<TestChannel> {
  const kind = options.kind ?? 'ecommerce';
  return app.get(ChannelsService).createChannel({
    name: options.name ?? `test-${kind}-${randomUUID().slice(0, 8)}`,
    kind,
    scopes: options.scopes ?? SCOPES.filter((s) => s !== 'ops:admin'),
    rateLimitPerMinute: options.rateLimitPerMinute,
    customerScope: options.customerScope ?? ALL_CUSTOMERS,
  });
}

/** Request headers carrying the key as a bearer token. */
export const bearer = (apiKey: string): Record<string, string> => ({
  authorization: `Bearer ${apiKey}`,
});
