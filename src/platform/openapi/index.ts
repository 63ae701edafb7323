export * from './api-problem.decorator.js';
export * from './problem.schema.js';
export * from './swagger.js';
export * from './finish-document.js';
