import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../auth/index.js';
import { ApiProblemResponses } from '../../openapi/index.js';
import { ExceptionsService } from '../exceptions.service.js';
import { ExceptionIdParams } from './dto/exception-id.params.js';
import { ListExceptionsQuery } from './dto/list-exceptions.query.js';
import { OpsExceptionPageResponse, OpsExceptionResponse } from './dto/ops-exception.response.js';

/** The exception queue for operations: what failed, why, and what is needed to replay it. */
@ApiTags('operations')
@Controller('v1/ops/exceptions')
export class ExceptionsController {
  constructor(private readonly exceptions: ExceptionsService) {}

  @Get()
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'List exception records',
    description:
      'Failures that need a person (dead-lettered jobs, sync records the hub could not apply), ' +
      'newest first. Filter by `type` and `status`; page with `cursor` = the previous `nextCursor`.',
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
    description: 'The failure with its payload, last error, attempts and correlation id.',
  })
  @ApiOkResponse({ type: OpsExceptionResponse, description: 'The exception record' })
  @ApiProblemResponses(
    { status: 400, description: 'The id is not a UUID' },
    {
      status: 404,
      description: 'No exception record has this id',
      code: 'EXCEPTION_NOT_FOUND',
      detail: 'No exception record has id 3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44.',
    },
  )
  async get(@Param() params: ExceptionIdParams): Promise<OpsExceptionResponse> {
    return OpsExceptionResponse.from(await this.exceptions.get(params.id));
  }
}
