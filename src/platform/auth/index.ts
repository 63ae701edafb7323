export * from './auth.decorators.js';
export * from './auth.module.js';
export * from './auth.types.js';
