export * from './exception-actions.types.js';
export * from './exceptions.module.js';
export * from './exceptions.service.js';
export * from './ops-exception.types.js';
