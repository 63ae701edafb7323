export * from './http-metrics.recorder.js';
export * from './metrics.module.js';
export * from './metrics.service.js';
export * from './sync-run.metrics.js';
