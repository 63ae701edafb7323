export * from './cloud-erp-http.client.js';
export * from './cloud-erp.errors.js';
export * from './oauth-client-credentials.js';
export * from './request-gate.js';
