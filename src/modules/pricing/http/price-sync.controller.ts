import { Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../../platform/auth/index.js';
import { ApiProblemResponses, LOCATION_HEADER } from '../../../platform/openapi/index.js';
import { SyncPriceDataCommand } from '../application/commands/sync-price-data/sync-price-data.command.js';
import { GetPriceSyncRunQuery } from '../application/queries/get-price-sync-run/get-price-sync-run.query.js';
import { PriceSyncRunPageResponse, PriceSyncRunResponse } from './dto/price-sync-run.response.js';
import { ListPriceSyncRunsQuery } from '../application/queries/list-price-sync-runs/list-price-sync-runs.query.js';
import { ListSyncRunsParams } from '../../../platform/delta-sync/index.js';
import { PriceSyncRunIdParams, TriggerPriceSyncQuery } from './dto/trigger-price-sync.query.js';

/** Operations: run the price-data sync by hand and see how a run went. */
@ApiTags('Operations')
@Controller('v1/admin/sync/pricing')
export class PriceSyncController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Run the price-data sync now',
    description:
      'Pulls price lists, price-list entries (prices and quantity breaks), contracts and ' +
      'promotions changed in the bound ERP adapter since the last sync (the schedule does the ' +
      'same). By default the run goes on in the background: 202 with the run and `Location` to ' +
      'poll. With `?wait=true` the answer comes when it has finished and the price cache has the ' +
      'new prices: 200 (a failed run is still a 200: see `status` and `error`). `?full=true` ' +
      'reads everything and removes prices the ERP no longer has. One run at a time across all ' +
      'instances.',
  })
  @ApiResponse({
    status: 202,
    headers: LOCATION_HEADER,
    type: PriceSyncRunResponse,
    description: 'Started; runs in background',
  })
  @ApiResponse({
    status: 200,
    type: PriceSyncRunResponse,
    description: 'Finished (with ?wait=true)',
  })
  @ApiProblemResponses(
    400,
    {
      status: 409,
      description: 'A price-data sync is already running',
      code: 'SYNC_ALREADY_RUNNING',
      detail: 'A pricing sync is already running; wait for it to finish.',
    },
    {
      status: 503,
      description: 'No ERP adapter bound',
      code: 'ERP_ADAPTER_UNAVAILABLE',
      detail: 'No ERP adapter is bound to read price data from.',
    },
  )
  async trigger(
    @Query() query: TriggerPriceSyncQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PriceSyncRunResponse> {
    const wait = query.wait === true;
    const run = await this.commandBus.execute(
      new SyncPriceDataCommand('manual', wait, query.full === true),
    );
    void reply.status(wait ? HttpStatus.OK : HttpStatus.ACCEPTED);
    if (!wait) void reply.header('location', `/v1/admin/sync/pricing/runs/${run.id}`);
    return PriceSyncRunResponse.from(run);
  }

  @Get('runs')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'List price-data sync runs',
    description:
      'Newest first, with per-stream counts, status and duration. Page with `cursor` = the ' +
      'previous `nextCursor`.',
  })
  @ApiResponse({ status: 200, type: PriceSyncRunPageResponse, description: 'One page of runs' })
  @ApiProblemResponses({
    status: 400,
    description: 'VALIDATION_FAILED or INVALID_CURSOR',
    code: 'INVALID_CURSOR',
    detail: 'The cursor is not one this API returned; start again without a cursor.',
  })
  async list(@Query() query: ListSyncRunsParams): Promise<PriceSyncRunPageResponse> {
    const page = await this.queryBus.execute(
      new ListPriceSyncRunsQuery({ cursor: query.cursor, limit: query.limit }),
    );
    return { items: page.items.map(PriceSyncRunResponse.from), nextCursor: page.nextCursor };
  }

  @Get('runs/:id')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Get one price-data sync run',
    description: 'Poll this after a 202: counts grow page by page until `status` leaves running.',
  })
  @ApiResponse({ status: 200, type: PriceSyncRunResponse, description: 'The run' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'Run not found',
    code: 'SYNC_RUN_NOT_FOUND',
    detail: 'No pricing sync run has id 0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e.',
  })
  async get(@Param() params: PriceSyncRunIdParams): Promise<PriceSyncRunResponse> {
    return PriceSyncRunResponse.from(
      await this.queryBus.execute(new GetPriceSyncRunQuery(params.id)),
    );
  }
}
