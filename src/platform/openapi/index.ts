export * from './api-problem.decorator.js';
export * from './problem.schema.js';
export * from './swagger.js';
