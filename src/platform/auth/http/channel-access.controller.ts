import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../openapi/api-problem.decorator.js';
import { RequireScopes } from '../auth.decorators.js';
import { ChannelsService } from '../channels.service.js';
import { toAdminApiKeyResponse, toCustomerScopeResponse } from './channel-response.mapper.js';
import {
  AddCustomersRequest,
  ApiKeyListResponse,
  ChannelCustomerParams,
  ChannelIdParams,
  ChannelKeyParams,
  CreatedKeyResponse,
  CreateKeyRequest,
  CustomerScopeResponse,
  PutCustomerScopeRequest,
} from './dto/channel-access.dto.js';
import { AdminApiKeyResponse } from './dto/admin-channel.response.js';

const CHANNEL_NOT_FOUND = {
  status: 404,
  description: 'No such channel',
  code: 'CHANNEL_NOT_FOUND',
  detail: 'No channel with id 0b6f0a52-7c1e-4d5b-9a57-3c1f2e6d9a10.',
};
const KEY_NOT_FOUND = {
  status: 404,
  description: 'No such channel, or no such key of this channel',
  code: 'API_KEY_NOT_FOUND',
  detail: 'Channel 0b6f0a52-7c1e-4d5b-9a57-3c1f2e6d9a10 has no API key k3q7x2ab.',
};
const INVALID = {
  status: 400,
  description:
    'Invalid request: every violation is listed (e.g. INVALID_CUSTOMER_ID, TOO_MANY_CUSTOMERS)',
  code: 'VALIDATION_FAILED',
  detail: 'The request has invalid fields.',
};

/**
 * Operations manages what a channel may do: the customers it acts for and its API keys. Not
 * idempotent by Idempotency-Key on purpose: a stored replay of a key creation would have to keep
 * the plaintext key; the customer changes are idempotent by nature (PUT, add, remove).
 */
@ApiTags('Administration')
@Controller('v1/admin/channels/:id')
export class ChannelAccessController {
  constructor(private readonly channels: ChannelsService) {}

  @Get('customers')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: "A channel's customer scope",
    description:
      'ALL (every customer) or LISTED: the listed accounts, each with its child accounts in the ' +
      'ERP customer hierarchy. Outside its scope a channel gets the answers of an unknown customer.',
  })
  @ApiOkResponse({ type: CustomerScopeResponse, description: 'The scope' })
  @ApiProblemResponses(400, CHANNEL_NOT_FOUND)
  async customers(@Param() params: ChannelIdParams): Promise<CustomerScopeResponse> {
    return toCustomerScopeResponse(params.id, await this.channels.getCustomerScope(params.id));
  }

  @Put('customers')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: "Replace a channel's customer scope",
    description:
      '`{"customerScope":"ALL"}` or `{"customerScope":"LISTED","customers":[...]}` (an empty ' +
      'list: no customer). Takes effect at once on every hub instance.',
  })
  @ApiOkResponse({ type: CustomerScopeResponse, description: 'The new scope' })
  @ApiProblemResponses(INVALID, CHANNEL_NOT_FOUND)
  async setCustomers(
    @Param() params: ChannelIdParams,
    @Body() body: PutCustomerScopeRequest,
  ): Promise<CustomerScopeResponse> {
    const scope = await this.channels.setCustomerScope(
      params.id,
      body.customerScope === 'ALL'
        ? { kind: 'ALL' }
        : { kind: 'LISTED', accounts: body.customers ?? [] },
    );
    return toCustomerScopeResponse(params.id, scope);
  }

  @Post('customers')
  @RequireScopes('ops:admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add customer accounts to a channel',
    description:
      'Adds accounts (already listed ones are ignored). A channel on ALL becomes LISTED with just ' +
      'these accounts. Takes effect at once on every hub instance.',
  })
  @ApiOkResponse({ type: CustomerScopeResponse, description: 'The new scope' })
  @ApiProblemResponses(INVALID, CHANNEL_NOT_FOUND)
  async addCustomers(
    @Param() params: ChannelIdParams,
    @Body() body: AddCustomersRequest,
  ): Promise<CustomerScopeResponse> {
    return toCustomerScopeResponse(
      params.id,
      await this.channels.addCustomers(params.id, body.customers),
    );
  }

  @Delete('customers/:customerId')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Remove a customer account from a channel',
    description:
      'The channel can no longer read, quote or order for that account (nor its child accounts, ' +
      'unless listed themselves). Removing an account that is not listed changes nothing.',
  })
  @ApiOkResponse({ type: CustomerScopeResponse, description: 'The new scope' })
  @ApiProblemResponses(400, CHANNEL_NOT_FOUND, {
    status: 409,
    description: 'The channel acts for every customer: replace its scope with PUT instead',
    code: 'CUSTOMER_SCOPE_IS_ALL',
    detail:
      'Channel web-shop acts for every customer: set a list of accounts instead of removing some.',
  })
  async removeCustomer(@Param() params: ChannelCustomerParams): Promise<CustomerScopeResponse> {
    return toCustomerScopeResponse(
      params.id,
      await this.channels.removeCustomers(params.id, [params.customerId]),
    );
  }

  @Get('keys')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: "A channel's API keys",
    description:
      'Oldest first: visible prefix, scopes, created, last used (minute resolution), revoked and ' +
      'expiry (rotation grace period). Neither keys nor their hashes are ever returned.',
  })
  @ApiOkResponse({ type: ApiKeyListResponse, description: 'The keys' })
  @ApiProblemResponses(400, CHANNEL_NOT_FOUND)
  async keys(@Param() params: ChannelIdParams): Promise<ApiKeyListResponse> {
    return { items: (await this.channels.listKeys(params.id)).map(toAdminApiKeyResponse) };
  }

  @Post('keys')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Create or rotate an API key',
    description:
      'Issues a new key, returned in this answer only. With `rotate` (the default) the live keys ' +
      'are retired: revoked at once, or kept working for `graceSeconds` so the channel can deploy ' +
      'the new key. Retired, revoked and unknown keys are all refused alike (401).',
  })
  @ApiResponse({ status: 201, type: CreatedKeyResponse, description: 'The new key, shown once' })
  @ApiProblemResponses(INVALID, CHANNEL_NOT_FOUND)
  async createKey(
    @Param() params: ChannelIdParams,
    @Body() body: CreateKeyRequest,
  ): Promise<CreatedKeyResponse> {
    const rotated = await this.channels.rotateKey(params.id, {
      graceSeconds: body.graceSeconds ?? 0,
      retire: body.rotate ?? true,
      scopes: body.scopes,
    });
    return {
      key: toAdminApiKeyResponse(rotated.key),
      apiKey: rotated.apiKey,
      retired: rotated.retired.map(toAdminApiKeyResponse),
    };
  }

  @Delete('keys/:keyId')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Revoke an API key',
    description:
      'By key id or prefix. Refused from the next request on, on every hub instance (PostgreSQL ' +
      'NOTIFY evicts the cached key). Revoking a revoked key changes nothing.',
  })
  @ApiOkResponse({ type: AdminApiKeyResponse, description: 'The key, with revokedAt' })
  @ApiProblemResponses(400, KEY_NOT_FOUND)
  async revokeKey(@Param() params: ChannelKeyParams): Promise<AdminApiKeyResponse> {
    return toAdminApiKeyResponse(await this.channels.revokeChannelKey(params.id, params.keyId));
  }
}
