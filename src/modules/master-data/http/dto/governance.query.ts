import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  DEFAULT_GOVERNANCE_PAGE_SIZE,
  MAX_GOVERNANCE_PAGE_SIZE,
} from '../../application/governance/governance.queries.js';
import {
  PROPOSAL_ENTITIES,
  PROPOSAL_STATUSES,
  type ProposalEntity,
  type ProposalStatus,
} from '../../domain/stewardship-proposal.js';

const CURSOR = /^[A-Za-z0-9_-]+$/;
const CURSOR_MESSAGE = 'cursor must be a nextCursor value returned by this endpoint';

export class PageQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(CURSOR, { message: CURSOR_MESSAGE })
  cursor?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_GOVERNANCE_PAGE_SIZE,
    default: DEFAULT_GOVERNANCE_PAGE_SIZE,
    example: 50,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_GOVERNANCE_PAGE_SIZE)
  limit?: number;
}

export class ListProposalsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES, example: 'pending' })
  @IsOptional()
  @IsIn(PROPOSAL_STATUSES)
  status?: ProposalStatus;

  @ApiPropertyOptional({ enum: PROPOSAL_ENTITIES, example: 'ship-to' })
  @IsOptional()
  @IsIn(PROPOSAL_ENTITIES)
  entity?: ProposalEntity;
}

export class ProposalIdParams {
  @ApiProperty({ format: 'uuid', example: '4b8f0c7e-1f2a-4c3d-9e8f-0a1b2c3d4e5f' })
  @IsUUID()
  id: string;
}
