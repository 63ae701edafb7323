export * from './bc-error.js';
export * from './cloud-erp-sandbox.js';
export * from './cloud-erp-store.js';
export * from './fault-injector.js';
export * from './rate-limiter.js';
export * from './sandbox-stats.js';
export * from './subscriptions.js';
export * from './sandbox-credentials.js';
