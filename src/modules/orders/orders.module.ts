import { Module } from '@nestjs/common';

/** Orders: bounded context; its use cases arrive with their issues. */
@Module({})
export class OrdersModule {}
