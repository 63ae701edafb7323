import { Module } from '@nestjs/common';

/** MasterData: bounded context; its use cases arrive with their issues. */
@Module({})
export class MasterDataModule {}
