import { Module } from '@nestjs/common';

/** Inventory: bounded context; its use cases arrive with their issues. */
@Module({})
export class InventoryModule {}
