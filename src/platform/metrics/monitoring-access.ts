import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../../config/index.js';

/** Constant-time comparison (of digests, so the token's length does not leak either). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** Whether the request carries the configured metrics token (monitoring's credential). */
export function hasMonitoringToken(config: AppConfig, authorization: string | undefined): boolean {
  return config.metricsToken !== undefined && bearerMatches(authorization, config.metricsToken);
}
