export * from './problem-details.js';
export * from './problem.filter.js';
export * from './to-problem.js';
export * from './validation.js';
export * from './prepared-response.js';
