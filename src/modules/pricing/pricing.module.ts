import { Module } from '@nestjs/common';

/** Pricing: bounded context; its use cases arrive with their issues. */
@Module({})
export class PricingModule {}
