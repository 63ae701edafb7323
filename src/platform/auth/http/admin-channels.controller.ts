import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../openapi/api-problem.decorator.js';
import { RequireScopes } from '../auth.decorators.js';
import { ChannelsService } from '../channels.service.js';
import {
  decodeChannelCursor,
  encodeChannelCursor,
  toAdminChannelResponse,
} from './channel-response.mapper.js';
import { AdminChannelListResponse } from './dto/admin-channel.response.js';
import { ListChannelsQuery } from './dto/list-channels.query.js';

const DEFAULT_PAGE_SIZE = 100;

@ApiTags('Administration')
@Controller('v1/admin/channels')
export class AdminChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'List channels with their API keys',
    description:
      'Channels ordered by name, each with its keys: visible prefix, scopes, created, last used ' +
      '(minute resolution) and revoked dates. Neither keys nor their hashes are ever returned.',
  })
  @ApiOkResponse({
    type: AdminChannelListResponse,
    description: 'One page of channels; nextCursor is null on the last page',
  })
  @ApiProblemResponses(400)
  async list(@Query() query: ListChannelsQuery): Promise<AdminChannelListResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterName = query.cursor === undefined ? undefined : decodeChannelCursor(query.cursor);
    // One extra row tells whether another page exists without a count query.
    const page = await this.channels.listChannels({ limit: limit + 1, afterName });
    const items = page.slice(0, limit);
    return {
      items: items.map(toAdminChannelResponse),
      nextCursor: page.length > limit ? encodeChannelCursor(items[items.length - 1].name) : null,
    };
  }
}
