import { Global, Module } from '@nestjs/common';
import { ExceptionsService } from './exceptions.service.js';
import { ExceptionsController } from './http/exceptions.controller.js';

/** The exception queue: global, so jobs, syncs and feeds can all record into it. */
@Global()
@Module({
  controllers: [ExceptionsController],
  providers: [ExceptionsService],
  exports: [ExceptionsService],
})
export class ExceptionsModule {}
