export * from './outbox.module.js';
export * from './outbox.options.js';
export {
  OUTBOX_CLEANUP_JOB,
  OUTBOX_DELAY_METRIC,
  OUTBOX_PUBLISH_JOB,
  OutboxPublisher,
  type PublishRun,
} from './outbox.publisher.js';
export { OutboxService } from './outbox.service.js';
export * from './outbox.types.js';
