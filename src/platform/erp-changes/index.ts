export { ERP_FEEDS, ErpChangeTrigger, type ErpFeed } from './erp-change.trigger.js';
export { ErpChangesModule } from './erp-changes.module.js';
