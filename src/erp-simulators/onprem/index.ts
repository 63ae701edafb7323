export * from './erp-data-source.js';
export * from './erp-sql.js';
export * from './load-demo-dataset.js';
export * from './migrations/index.js';
export * from './prepare-onprem-erp-database.js';
export * from './sales-order-import-processor.js';
export * from './customer-import-processor.js';
export * from './demo-onprem-erp.js';
