export * from './demo-dataset.types.js';
export * from './generate-demo-dataset.js';
export * from './seeded-random.js';
