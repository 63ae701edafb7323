import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedChannel, CurrentChannel, RequireScopes } from '../../auth/index.js';
import { ApiProblemResponses } from '../../openapi/index.js';
import type { ExceptionActor } from '../exception-actions.types.js';
import { ExceptionsService } from '../exceptions.service.js';
import { DiscardExceptionRequest } from './dto/discard-exception.request.js';
import { ExceptionIdParams } from './dto/exception-id.params.js';
import { ListExceptionsQuery } from './dto/list-exceptions.query.js';
import {
  OpsExceptionPageResponse,
  OpsExceptionResponse,
  ReplayExceptionResponse,
} from './dto/ops-exception.response.js';
import { ReplayExceptionRequest } from './dto/replay-exception.request.js';

const NOT_FOUND = {
  status: 404,
  description: 'No exception record has this id',
  code: 'EXCEPTION_NOT_FOUND',
  detail: 'No exception record has id 3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44.',
};

/** The exception queue for operations: what failed, why, and what is needed to replay it. */
@ApiTags('Operations')
@Controller('v1/ops/exceptions')
export class ExceptionsController {
  constructor(private readonly exceptions: ExceptionsService) {}

  @Get()
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'List exception records',
    description:
      'Failures that need a person (dead-lettered jobs, sync records the hub could not apply), ' +
      'newest first, each with its audit trail. Filter by `type` and `status`; page with ' +
      '`cursor` = the previous `nextCursor`.',
  })
  @ApiOkResponse({ type: OpsExceptionPageResponse, description: 'One page of exception records' })
  @ApiProblemResponses({
    status: 400,
    description:
      'Invalid query: VALIDATION_FAILED (bad type, status or limit) or INVALID_CURSOR (a cursor ' +
      'this API did not return)',
    code: 'INVALID_CURSOR',
    detail: 'The cursor is not one this API returned; start again without a cursor.',
  })
  async list(@Query() query: ListExceptionsQuery): Promise<OpsExceptionPageResponse> {
    const page = await this.exceptions.list(query);
    return { items: page.items.map(OpsExceptionResponse.from), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Get one exception record',
    description:
      'The failure with its payload, last error, attempts, correlation id and audit trail ' +
      '(`actions`: every replay and discard, oldest first).',
  })
  @ApiOkResponse({ type: OpsExceptionResponse, description: 'The exception record' })
  @ApiProblemResponses({ status: 400, description: 'The id is not a UUID' }, NOT_FOUND)
  async get(@Param() params: ExceptionIdParams): Promise<OpsExceptionResponse> {
    return OpsExceptionResponse.from(await this.exceptions.getDetail(params.id));
  }

  @Post(':id/replay')
  @HttpCode(202)
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Replay an open exception record',
    description:
      'Sends the failed work again, once its cause is fixed: for a dead-lettered job, a new job ' +
      'on the same queue with the recorded payload (or the corrected `payload` of the body, ' +
      'checked by the job first) and the original correlation id. The record becomes ' +
      '`replayed` and the action is audited, in the same transaction that enqueues the job. ' +
      'Should the replay fail again, a new open record appears with `replayOf` = this record. ' +
      'Only an open record can be replayed; of two concurrent replays, one gets 409.',
  })
  @ApiBody({ type: ReplayExceptionRequest, required: false })
  @ApiAcceptedResponse({
    type: ReplayExceptionResponse,
    description: 'The replay is queued; the updated record and what the replay did',
  })
  @ApiProblemResponses(
    {
      status: 400,
      description:
        'VALIDATION_FAILED (bad id or body) or INVALID_REPLAY_PAYLOAD (the corrected payload ' +
        'fails the check of the job that would run it; every violation is listed)',
      code: 'INVALID_REPLAY_PAYLOAD',
      detail: 'The corrected payload is not valid for orders.post-to-erp; nothing was replayed.',
    },
    NOT_FOUND,
    {
      status: 409,
      description:
        'EXCEPTION_NOT_OPEN (already replayed, discarded or resolved) or ' +
        'EXCEPTION_NOT_REPLAYABLE (nothing can replay records from its source)',
      code: 'EXCEPTION_NOT_OPEN',
      detail:
        'Exception record 3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44 is replayed; only an open ' +
        'record can be replayed.',
    },
  )
  async replay(
    @Param() params: ExceptionIdParams,
    @Body() body: ReplayExceptionRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<ReplayExceptionResponse> {
    const result = await this.exceptions.replay(
      params.id,
      { payload: body.payload, reason: body.reason ?? null },
      actorOf(channel),
    );
    return ReplayExceptionResponse.fromReplay(result);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Discard an open exception record',
    description:
      'Closes the record without replaying it (the work is no longer needed, or was done by ' +
      'hand), with the reason in the audit trail. Only an open record can be discarded.',
  })
  @ApiOkResponse({ type: OpsExceptionResponse, description: 'The discarded record' })
  @ApiProblemResponses(
    { status: 400, description: 'The id is not a UUID, or the reason is missing or too long' },
    NOT_FOUND,
    {
      status: 409,
      description: 'EXCEPTION_NOT_OPEN: the record is already replayed, discarded or resolved',
      code: 'EXCEPTION_NOT_OPEN',
      detail:
        'Exception record 3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44 is replayed; only an open ' +
        'record can be discarded.',
    },
  )
  async discard(
    @Param() params: ExceptionIdParams,
    @Body() body: DiscardExceptionRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<OpsExceptionResponse> {
    return OpsExceptionResponse.from(
      await this.exceptions.discard(params.id, { reason: body.reason }, actorOf(channel)),
    );
  }
}

function actorOf(channel: AuthenticatedChannel): ExceptionActor {
  return {
    channelId: channel.channelId,
    channelName: channel.channelName,
    apiKeyId: channel.apiKeyId,
  };
}
