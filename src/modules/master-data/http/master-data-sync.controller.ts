import { Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../../platform/auth/index.js';
import { ListSyncRunsParams } from '../../../platform/delta-sync/index.js';
import { ApiProblemResponses, LOCATION_HEADER } from '../../../platform/openapi/index.js';
import { SyncMasterDataCommand } from '../application/commands/sync-master-data/sync-master-data.command.js';
import { GetSyncRunQuery } from '../application/queries/get-sync-run/get-sync-run.query.js';
import { ListSyncRunsQuery } from '../application/queries/list-sync-runs/list-sync-runs.query.js';
import { SyncRunIdParams } from './dto/sync-run-id.params.js';
import { TriggerSyncQuery } from './dto/trigger-sync.query.js';
import { SyncRunPageResponse, SyncRunResponse } from './dto/sync-run.response.js';

/** Operations: run the master-data sync by hand and see how runs went. */
@ApiTags('Operations')
@Controller('v1/admin/sync')
export class MasterDataSyncController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('master-data')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Run the master-data sync now',
    description:
      'Pulls customer, item and warehouse changes from the bound ERP adapter since the last ' +
      'sync (the same work the schedule does). By default the sync runs in the background: 202 ' +
      'with the run, and `Location` to poll. With `?wait=true` the answer comes when the run ' +
      'has finished: 200 with its counts (a run that failed is still a 200; see `status` and ' +
      '`error`). Only one sync runs at a time across all instances.',
  })
  @ApiResponse({
    status: 202,
    type: SyncRunResponse,
    description: 'Started; runs in background',
    headers: LOCATION_HEADER,
  })
  @ApiResponse({ status: 200, type: SyncRunResponse, description: 'Finished (with ?wait=true)' })
  @ApiProblemResponses(
    400,
    {
      status: 409,
      description: 'A sync is already running',
      code: 'SYNC_ALREADY_RUNNING',
      detail: 'A master-data sync is already running; wait for it to finish.',
    },
    {
      status: 503,
      description: 'No ERP adapter bound',
      code: 'ERP_ADAPTER_UNAVAILABLE',
      detail: 'No ERP adapter is bound to read master data from.',
    },
  )
  async trigger(
    @Query() query: TriggerSyncQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SyncRunResponse> {
    const wait = query.wait === true;
    const run = await this.commandBus.execute(new SyncMasterDataCommand('manual', wait));
    void reply.status(wait ? HttpStatus.OK : HttpStatus.ACCEPTED);
    if (!wait) void reply.header('location', `/v1/admin/sync/runs/${run.id}`);
    return SyncRunResponse.from(run);
  }

  @Get('runs')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'List master-data sync runs',
    description:
      'Newest first, with per-kind counts (read, upserted, unchanged, invalid), status and ' +
      'duration. Page with `cursor` = the previous `nextCursor`.',
  })
  @ApiResponse({ status: 200, type: SyncRunPageResponse, description: 'One page of runs' })
  @ApiProblemResponses(400)
  async list(@Query() query: ListSyncRunsParams): Promise<SyncRunPageResponse> {
    const page = await this.queryBus.execute(
      new ListSyncRunsQuery({ cursor: query.cursor, limit: query.limit }),
    );
    return { items: page.items.map(SyncRunResponse.from), nextCursor: page.nextCursor };
  }

  @Get('runs/:id')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Get one master-data sync run',
    description: 'Poll this after a 202: counts grow page by page until `status` leaves running.',
  })
  @ApiResponse({ status: 200, type: SyncRunResponse, description: 'The run' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'Run not found',
    code: 'SYNC_RUN_NOT_FOUND',
    detail: 'No master-data sync run has id 0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e.',
  })
  async get(@Param() params: SyncRunIdParams): Promise<SyncRunResponse> {
    return SyncRunResponse.from(await this.queryBus.execute(new GetSyncRunQuery(params.id)));
  }
}
