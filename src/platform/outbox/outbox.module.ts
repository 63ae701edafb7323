import { Global, Module } from '@nestjs/common';
import { OutboxPublisher } from './outbox.publisher.js';
import { OutboxService } from './outbox.service.js';

/** The transactional outbox (table outbox_event) and its publisher; global, like jobs. */
@Global()
@Module({
  providers: [OutboxService, OutboxPublisher],
  exports: [OutboxService, OutboxPublisher],
})
export class OutboxModule {}
