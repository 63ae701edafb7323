import {
  Body,
  Controller,
  Delete,
  Get,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../../platform/auth/index.js';
import { ApiProblemResponses, LOCATION_HEADER } from '../../../platform/openapi/index.js';
import {
  GetChannelRuleQuery,
  ResetChannelRuleCommand,
  SetChannelRuleCommand,
} from '../application/commands/channel-rules/channel-rule.commands.js';
import { SetSafetyStockCommand } from '../application/commands/safety-stock/set-safety-stock.command.js';
import { GetInventorySyncRunQuery } from '../application/commands/sync-inventory/get-inventory-sync-run.query.js';
import {
  BALANCES_STREAM,
  SyncInventoryCommand,
} from '../application/commands/sync-inventory/sync-inventory.command.js';
import {
  ChannelIdParams,
  ChannelRuleRequest,
  ChannelRuleResponse,
} from './dto/channel-rule.dto.js';
import { PositionParams, PositionResponse, SafetyStockRequest } from './dto/position.dto.js';
import {
  InventorySyncRunResponse,
  SyncRunIdParams,
  TriggerInventorySyncQuery,
} from './dto/sync-run.response.js';

const CHANNEL_NOT_FOUND = {
  status: 404,
  description: 'No such channel',
  code: 'CHANNEL_NOT_FOUND',
  detail: 'No channel has id 3f1f8a52-2d7e-4f0e-8a0b-5b7c9e1d2a44.',
};

/** Operations: channel availability rules, safety stock, the ERP balance sync. */
@ApiTags('Operations')
@Controller('v1/admin')
export class InventoryAdminController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get('inventory/channel-rules/:channelId')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: "Get a channel's availability rule",
    description:
      "The rule that applies to the channel: its own, or its kind's default (marketplaces: " +
      '10 % buffer, every warehouse; other kinds: no buffer, every warehouse).',
  })
  @ApiOkResponse({ type: ChannelRuleResponse, description: 'The rule in force' })
  @ApiProblemResponses(400, CHANNEL_NOT_FOUND)
  async getRule(@Param() params: ChannelIdParams): Promise<ChannelRuleResponse> {
    return ChannelRuleResponse.from(
      params.channelId,
      await this.queryBus.execute(new GetChannelRuleQuery(params.channelId)),
    );
  }

  @Put('inventory/channel-rules/:channelId')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: "Set a channel's availability rule",
    description:
      'Which warehouses the channel may sell from (null = all) and the buffer held back from it ' +
      'per warehouse. Replaces the default of its kind; applies to availability reads and to ' +
      'reservations for its orders (within seconds on other instances). PUT is idempotent.',
  })
  @ApiOkResponse({ type: ChannelRuleResponse, description: 'The rule now in force' })
  @ApiProblemResponses(
    {
      status: 400,
      description: 'Invalid rule',
      code: 'INVALID_CHANNEL_RULE',
      detail: 'The channel rule is invalid.',
    },
    CHANNEL_NOT_FOUND,
  )
  async setRule(
    @Param() params: ChannelIdParams,
    @Body() body: ChannelRuleRequest,
  ): Promise<ChannelRuleResponse> {
    return ChannelRuleResponse.from(
      params.channelId,
      await this.commandBus.execute(
        new SetChannelRuleCommand(params.channelId, {
          warehouses: body.warehouses,
          buffer: { type: body.buffer.type, value: body.buffer.value },
        }),
      ),
    );
  }

  @Delete('inventory/channel-rules/:channelId')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: "Reset a channel's availability rule",
    description: "Removes the channel's own rule; the default of its kind applies again.",
  })
  @ApiOkResponse({ type: ChannelRuleResponse, description: 'The rule now in force' })
  @ApiProblemResponses(400, CHANNEL_NOT_FOUND)
  async resetRule(@Param() params: ChannelIdParams): Promise<ChannelRuleResponse> {
    return ChannelRuleResponse.from(
      params.channelId,
      await this.commandBus.execute(new ResetChannelRuleCommand(params.channelId)),
    );
  }

  @Put('inventory/positions/:sku/:warehouse/safety-stock')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Set the safety stock of a position',
    description:
      'Base units of the SKU in the warehouse held back from every channel (ATP = on hand − ' +
      'allocated − reserved − safety stock). Channels are told through AvailabilityChanged.',
  })
  @ApiOkResponse({ type: PositionResponse, description: 'The position after the change' })
  @ApiProblemResponses(
    {
      status: 400,
      description: 'Invalid quantity',
      code: 'INVALID_SAFETY_STOCK',
      detail: 'safetyStock must be a non-negative decimal string.',
    },
    {
      status: 404,
      description: 'ITEM_NOT_FOUND or WAREHOUSE_NOT_FOUND: the hub knows no such item or warehouse',
      code: 'ITEM_NOT_FOUND',
      detail: "No position NO-SUCH-SKU × WH-EAST: the hub's master data has no item NO-SUCH-SKU.",
    },
  )
  async setSafetyStock(
    @Param() params: PositionParams,
    @Body() body: SafetyStockRequest,
  ): Promise<PositionResponse> {
    return PositionResponse.from(
      await this.commandBus.execute(
        new SetSafetyStockCommand(params.sku, params.warehouse, body.safetyStock),
      ),
    );
  }

  @Post('sync/inventory')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Run the inventory sync now',
    description:
      'Pulls ERP balance changes from the bound ERP adapter since the last sync (the same work ' +
      'the schedule does) and applies them to positions. By default the run goes on in the ' +
      'background: 202 with the run and `Location` to poll; with `?wait=true`, 200 when it has ' +
      'finished (a failed run is still a 200: see `status`). One run at a time across instances.',
  })
  @ApiResponse({
    status: 202,
    type: InventorySyncRunResponse,
    description: 'Started',
    headers: LOCATION_HEADER,
  })
  @ApiResponse({ status: 200, type: InventorySyncRunResponse, description: 'Finished (wait)' })
  @ApiProblemResponses(
    400,
    {
      status: 409,
      description: 'A sync is already running',
      code: 'SYNC_ALREADY_RUNNING',
      detail: 'A inventory sync is already running; wait for it to finish.',
    },
    {
      status: 503,
      description: 'No ERP adapter bound',
      code: 'ERP_ADAPTER_UNAVAILABLE',
      detail: 'No ERP adapter is bound to read inventory balances from.',
    },
  )
  async sync(
    @Query() query: TriggerInventorySyncQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InventorySyncRunResponse> {
    const wait = query.wait === true;
    const run = await this.commandBus.execute(
      new SyncInventoryCommand('manual', wait, query.full === true),
    );
    void reply.status(wait ? HttpStatus.OK : HttpStatus.ACCEPTED);
    if (!wait) void reply.header('location', `/v1/admin/sync/inventory/runs/${run.id}`);
    return InventorySyncRunResponse.from(run, BALANCES_STREAM);
  }

  @Get('sync/inventory/runs/:id')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Get one inventory sync run',
    description: 'Poll this after a 202: counts grow page by page until `status` leaves running.',
  })
  @ApiOkResponse({ type: InventorySyncRunResponse, description: 'The run' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'Run not found',
    code: 'SYNC_RUN_NOT_FOUND',
    detail: 'No inventory sync run has id 0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e.',
  })
  async run(@Param() params: SyncRunIdParams): Promise<InventorySyncRunResponse> {
    return InventorySyncRunResponse.from(
      await this.queryBus.execute(new GetInventorySyncRunQuery(params.id)),
      BALANCES_STREAM,
    );
  }
}
