export * from './fingerprint.js';
export * from './idempotency.interceptor.js';
export * from './idempotency.module.js';
export * from './idempotency.store.js';
export * from './idempotent.decorator.js';
export * from './idempotency-cleanup.job.js';
export * from './idempotent-outcome.js';
