import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** A typed Crossdock API client: every path, parameter, body and answer as the spec declares. */
export type CrossdockClient = Client<paths>;

export interface CrossdockClientOptions {
  /** A fetch implementation (default: the global fetch). */
  fetch?: ClientOptions['fetch'];
  /** Headers sent with every request, beside the API key (e.g. X-Correlation-Id). */
  headers?: Record<string, string>;
}

/**
 * A client for the hub at `baseUrl` (e.g. `https://hub.example.com`), authenticating every request
 * with the channel's API key. Answers are `{ data, error, response }`: `data` for 2xx, `error`
 * (the problem+json document) otherwise.
 */
export function createCrossdockClient(
  baseUrl: string,
  apiKey: string,
  options: CrossdockClientOptions = {},
): CrossdockClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...options.headers, Authorization: `Bearer ${apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
