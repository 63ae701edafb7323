import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentChannel, RequireScopes } from '../auth.decorators.js';
import type { AuthenticatedChannel } from '../auth.types.js';
import { ChannelsService } from '../channels.service.js';
import { toCurrentChannelResponse } from './channel-response.mapper.js';
import { CurrentChannelResponse } from './dto/current-channel.response.js';

@ApiTags('Channels')
@Controller('v1/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get('me')
  @RequireScopes()
  @ApiOperation({
    summary: 'The calling channel and the API key it used',
    description: 'Any valid API key may call this: use it to check a key and its scopes.',
  })
  @ApiOkResponse({ type: CurrentChannelResponse, description: 'The calling channel' })
  async me(@CurrentChannel() channel: AuthenticatedChannel): Promise<CurrentChannelResponse> {
    return toCurrentChannelResponse(channel, await this.channels.getKey(channel.apiKeyId));
  }
}
