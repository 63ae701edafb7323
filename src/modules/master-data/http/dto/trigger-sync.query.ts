import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class TriggerSyncQuery {
  @ApiPropertyOptional({
    description:
      'true: answer when the run has finished (200 with the final run). Default false: answer ' +
      '202 at once with the running run and a Location to poll.',
    default: false,
    example: false,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  wait?: boolean;
}
