export * from './application-error.js';
