import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedChannel,
  CurrentChannel,
  RequireScopes,
} from '../../../platform/auth/index.js';
import { ApiProblemResponses } from '../../../platform/openapi/index.js';
import { CustomerGovernanceService } from '../application/governance/customer-governance.service.js';
import { GovernanceQueries } from '../application/governance/governance.queries.js';
import { SystemOfRecordMatrix } from '../infrastructure/system-of-record.loader.js';
import { DecideProposalRequest } from './dto/governance.request.js';
import { ListProposalsQuery, ProposalIdParams } from './dto/governance.query.js';
import {
  FieldOwnershipResponse,
  OwnershipResponse,
  ProposalPageResponse,
  ProposalResponse,
} from './dto/governance.response.js';

const NOT_FOUND = {
  status: 404,
  description: 'Proposal (or its customer) not found',
  code: 'PROPOSAL_NOT_FOUND',
  detail: 'No stewardship proposal has id 4b8f0c7e-1f2a-4c3d-9e8f-0a1b2c3d4e5f.',
};
const DECIDED = {
  status: 409,
  description: 'Already approved or rejected',
  code: 'PROPOSAL_ALREADY_DECIDED',
  detail: 'Stewardship proposal 4b8f0c7e-1f2a-4c3d-9e8f-0a1b2c3d4e5f is already approved.',
};

/** Master-data governance for operations: the ownership matrix and the data stewards' queue. */
@ApiTags('Master data governance')
@ApiExtraModels(FieldOwnershipResponse)
@Controller('v1/admin')
export class GovernanceAdminController {
  constructor(
    private readonly matrix: SystemOfRecordMatrix,
    private readonly governance: CustomerGovernanceService,
    private readonly queries: GovernanceQueries,
  ) {}

  @Get('ownership')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'The system-of-record matrix in effect',
    description:
      'Per entity and field: the owning system, the other systems that may update it, and the ' +
      'conflict rule (reject, steward, accept-latest). Loaded from the reviewed matrix file at start-up.',
  })
  @ApiOkResponse({ type: OwnershipResponse, description: 'The matrix' })
  ownership(): OwnershipResponse {
    return OwnershipResponse.from(this.matrix.matrix);
  }

  @Get('stewardship')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'List stewardship proposals',
    description:
      'Changes the matrix queued for a data steward, oldest first. Filter by `status` and ' +
      '`entity`; continue with `cursor` = the previous `nextCursor`.',
  })
  @ApiOkResponse({ type: ProposalPageResponse, description: 'One page of proposals' })
  @ApiProblemResponses(400)
  async list(@Query() query: ListProposalsQuery): Promise<ProposalPageResponse> {
    const page = await this.queries.proposals(query);
    return { items: page.items.map(ProposalResponse.from), nextCursor: page.nextCursor };
  }

  @Post('stewardship/:id/approve')
  @HttpCode(HttpStatus.OK)
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Approve a stewardship proposal',
    description:
      'Applies the proposed change through the same path as an owned update: stored, audited, ' +
      'published as CustomerChanged and, for data the ERP keeps, written to the ERP by a durable job.',
  })
  @ApiOkResponse({ type: ProposalResponse, description: 'The approved proposal' })
  @ApiProblemResponses(400, NOT_FOUND, DECIDED, {
    status: 422,
    description: 'The change would leave the customer invalid',
    code: 'MASTER_DATA_CHANGE_INVALID',
    detail: 'The change would leave the record invalid; nothing was changed.',
  })
  async approve(
    @Param() params: ProposalIdParams,
    @Body() body: DecideProposalRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<ProposalResponse> {
    return ProposalResponse.from(
      await this.governance.approve(params.id, body.reason, channel.channelId),
    );
  }

  @Post('stewardship/:id/reject')
  @HttpCode(HttpStatus.OK)
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Reject a stewardship proposal',
    description: 'Nothing is changed; the reason is kept with the proposal.',
  })
  @ApiOkResponse({ type: ProposalResponse, description: 'The rejected proposal' })
  @ApiProblemResponses(400, NOT_FOUND, DECIDED)
  async reject(
    @Param() params: ProposalIdParams,
    @Body() body: DecideProposalRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<ProposalResponse> {
    return ProposalResponse.from(
      await this.governance.reject(params.id, body.reason, channel.channelId),
    );
  }
}
