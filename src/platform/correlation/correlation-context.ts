import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface CorrelationStore {
  correlationId: string;
  /** `http` for requests (their log lines carry the id through pino-http), `job` for background work. */
  origin: 'http' | 'job' | 'system';
}

const storage = new AsyncLocalStorage<CorrelationStore>();

/**
 * Carries the correlation id of the request or job being worked on, so that log lines, outbox
 * events, jobs and outgoing ERP calls made further down can all name it.
 */
export const CorrelationContext = {
  current(): string | undefined {
    return storage.getStore()?.correlationId;
  },
  store(): CorrelationStore | undefined {
    return storage.getStore();
  },
  run<T>(store: CorrelationStore, fn: () => T): T {
    return storage.run(store, fn);
  },
};

/** Accepts a caller's id only when it is short and of a safe charset; anything else is replaced. */
export function acceptOrGenerateCorrelationId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value === 'string' && SAFE_ID.test(value)) return value;
  return randomUUID();
}

export function isValidCorrelationId(value: string): boolean {
  return SAFE_ID.test(value);
}
