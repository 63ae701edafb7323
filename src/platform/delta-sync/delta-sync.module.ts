import { Module } from '@nestjs/common';
import { DeltaSyncLock } from './delta-sync.lock.js';
import { DeltaSyncService } from './delta-sync.service.js';
import { DeltaSyncStore } from './delta-sync.store.js';

/** The generic delta-sync runner; a module that syncs from an ERP feed imports this. */
@Module({
  providers: [DeltaSyncService, DeltaSyncLock, DeltaSyncStore],
  exports: [DeltaSyncService],
})
export class DeltaSyncModule {}
