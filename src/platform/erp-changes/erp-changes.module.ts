import { Global, Module } from '@nestjs/common';
import { ErpChangeTrigger } from './erp-change.trigger.js';

/** The "ERP changed, sync soon" trigger; global so modules register and adapters raise. */
@Global()
@Module({ providers: [ErpChangeTrigger], exports: [ErpChangeTrigger] })
export class ErpChangesModule {}
