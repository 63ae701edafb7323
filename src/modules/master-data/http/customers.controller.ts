import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  type AuthenticatedChannel,
  CurrentChannel,
  RequireScopes,
} from '../../../platform/auth/index.js';
import { Idempotent } from '../../../platform/idempotency/index.js';
import { ApiProblemResponses } from '../../../platform/openapi/index.js';
import {
  CustomerGovernanceService,
  type GovernedChangeResult,
} from '../application/governance/customer-governance.service.js';
import { GovernanceQueries } from '../application/governance/governance.queries.js';
import { GetCustomerQuery } from '../application/queries/get-customer/get-customer.query.js';
import { ListCustomerChangesQuery } from '../application/queries/list-customer-changes/list-customer-changes.query.js';
import type { CustomerFields } from '../domain/customer-update.js';
import { PatchCustomerRequest, ShipToRequest } from './dto/governance.request.js';
import { PageQuery } from './dto/governance.query.js';
import {
  FieldOutcomeResponse,
  GovernedChangeResponse,
  HistoryEntryResponse,
  HistoryPageResponse,
} from './dto/governance.response.js';
import { CustomerPageResponse, CustomerResponse } from './dto/customer.response.js';
import { CustomerIdParams } from './dto/customer-id.params.js';
import { ListCustomersQuery } from './dto/list-customers.query.js';

const NOT_FOUND = {
  status: 404,
  description:
    "Customer not found: unknown to the hub, or outside the channel's customer scope (answered alike)",
  code: 'CUSTOMER_NOT_FOUND',
  detail: 'No customer with ERP number C10042 is known to the hub.',
};
const CHANGE_PROBLEMS = [
  NOT_FOUND,
  {
    status: 422,
    description:
      'Every field sent is owned by another system (violations FIELD_NOT_OWNED name the owner), ' +
      'the change would leave the customer invalid (MASTER_DATA_CHANGE_INVALID), or the ' +
      'Idempotency-Key was reused with another body',
    code: 'FIELD_NOT_OWNED',
    detail:
      'No field of this update may be changed by the calling system; see violations for the owner of each.',
  },
  {
    status: 503,
    description: 'Background jobs are not running (an ERP write-back could not be queued)',
    code: 'JOBS_UNAVAILABLE',
    detail: 'Background jobs are not running on this instance; try again later.',
  },
];

/**
 * Customers for channels: the hub copy, changes governed field by field by the system-of-record
 * matrix (GET /v1/admin/ownership), and the audit history. A channel sees and changes only the
 * customers of its customer scope (ChannelsService); any other is CUSTOMER_NOT_FOUND.
 */
@ApiTags('Customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly governance: CustomerGovernanceService,
    private readonly queries: GovernanceQueries,
  ) {}

  @Get()
  @RequireScopes('master-data:read')
  @ApiOperation({
    summary: 'List the customers this channel may act for, or those changed since a point in time',
    description:
      "Customers of the channel's customer scope (every customer for ALL; the listed accounts " +
      'and their child accounts for LISTED), in the order the hub last wrote them, with ship-tos. ' +
      'The first call may pass `changedSince` (customers written at or after it); continue with ' +
      '`cursor` = the previous `nextCursor`. Paging is safe while a sync writes: no customer is ' +
      'skipped, and one changed during paging appears again later with its new values. When ' +
      '`hasMore` is false, keep `nextCursor` and poll with it to receive only later changes.',
  })
  @ApiOkResponse({ type: CustomerPageResponse, description: 'One page of customers' })
  @ApiProblemResponses({
    status: 400,
    description: 'Invalid query',
    code: 'INVALID_CURSOR',
    detail: 'The cursor is not one this API returned; start again without a cursor.',
  })
  async list(
    @Query() query: ListCustomersQuery,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<CustomerPageResponse> {
    const page = await this.queryBus.execute(
      new ListCustomerChangesQuery({
        changedSince: query.changedSince ? new Date(query.changedSince) : undefined,
        cursor: query.cursor,
        limit: query.limit,
        scope: channel.customerScope,
      }),
    );
    return {
      items: page.customers.map((c) => CustomerResponse.from(c)),
      nextCursor: page.nextCursor,
      hasMore: page.hasMore,
    };
  }

  @Get(':id')
  @RequireScopes('master-data:read')
  @ApiOperation({
    summary: 'Get a customer by ERP customer number',
    description:
      'The hub copy of the customer, with its ship-to addresses, parent account, status, credit ' +
      'limit and balance (decimal strings), terms, currency and tax attributes.',
  })
  @ApiOkResponse({ type: CustomerResponse, description: 'The customer' })
  @ApiProblemResponses(400, NOT_FOUND)
  async get(
    @Param() params: CustomerIdParams,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<CustomerResponse> {
    return CustomerResponse.from(
      await this.queryBus.execute(new GetCustomerQuery(params.id, channel.customerScope)),
    );
  }

  @Patch(':id')
  @RequireScopes('master-data:write')
  @Idempotent()
  @ApiOperation({
    summary: 'Change customer fields (governed by the system-of-record matrix)',
    description:
      'Each field is decided on its own for the calling channel kind: applied when it owns the ' +
      'field; rejected (FIELD_NOT_OWNED, naming the owner) when it does not; queued for a data ' +
      'steward where the matrix says so (then 202 with the proposal id); ignored when older than ' +
      'the stored value under accept-latest (STALE_UPDATE, compare `sourceUpdatedAt`). ' +
      '`fields` says what happened to each. When every field is rejected nothing happens: 422.',
  })
  @ApiBody({
    type: PatchCustomerRequest,
    examples: {
      contact: {
        summary: "A CRM corrects demo customer C10001's contact details",
        value: { email: 'purchasing@keystone-senior-living.example.com', phone: '+1 453 555 0100' },
      },
    },
  })
  @ApiResponse({ status: 200, type: GovernedChangeResponse, description: 'Nothing queued' })
  @ApiResponse({ status: 202, type: GovernedChangeResponse, description: 'Some fields queued' })
  @ApiProblemResponses(...CHANGE_PROBLEMS)
  async patch(
    @Param() params: CustomerIdParams,
    @Body() body: PatchCustomerRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GovernedChangeResponse> {
    const { sourceUpdatedAt, parentId, ...fields } = body;
    const changes: Partial<CustomerFields> = { ...fields, parentErpId: parentId };
    return respond(
      reply,
      await this.governance.updateCustomer(params.id, changes, {
        sourceSystem: channel.kind,
        channelId: channel.channelId,
        sourceUpdatedAt: sourceUpdatedAt ? new Date(sourceUpdatedAt) : undefined,
        customerScope: channel.customerScope,
      }),
    );
  }

  @Post(':id/ship-tos')
  @RequireScopes('master-data:write')
  @Idempotent()
  @ApiOperation({
    summary: 'Propose or change a ship-to address (governed by the system-of-record matrix)',
    description:
      'A new code adds a ship-to, an existing code changes it, field by field under the matrix ' +
      '(entity ship-to). By default the ERP owns ship-tos and the CRM may propose them: the ' +
      'address is queued for a data steward (202 with the proposal id) and, once approved, ' +
      'stored and written to the ERP. A new ship-to is proposed whole; tax attributes are the ' +
      "ERP's (FIELD_NOT_OWNED).",
  })
  @ApiBody({
    type: ShipToRequest,
    examples: {
      dock: {
        summary: 'A CRM proposes a new delivery dock for demo customer C10001',
        value: {
          code: 'DOCK-7',
          name: 'Keystone Senior Living – Dock 7',
          addressLines: ['5927 Harbor Rd', 'Dock 7'],
          city: 'Allentown',
          region: 'PA',
          postalCode: '18133',
          country: 'US',
          defaultWarehouseCode: 'EAST',
        },
      },
    },
  })
  @ApiResponse({ status: 200, type: GovernedChangeResponse, description: 'Nothing queued' })
  @ApiResponse({ status: 202, type: GovernedChangeResponse, description: 'Queued for a steward' })
  @ApiProblemResponses(...CHANGE_PROBLEMS)
  async addShipTo(
    @Param() params: CustomerIdParams,
    @Body() body: ShipToRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GovernedChangeResponse> {
    const { sourceUpdatedAt, ...shipTo } = body;
    return respond(
      reply,
      await this.governance.changeShipTo(
        params.id,
        {
          ...shipTo,
          region: shipTo.region ?? null,
          postalCode: shipTo.postalCode ?? null,
          defaultWarehouseCode: shipTo.defaultWarehouseCode,
          taxAreaCode: shipTo.taxAreaCode,
        } as Parameters<CustomerGovernanceService['changeShipTo']>[1],
        {
          sourceSystem: channel.kind,
          channelId: channel.channelId,
          sourceUpdatedAt: sourceUpdatedAt ? new Date(sourceUpdatedAt) : undefined,
          customerScope: channel.customerScope,
        },
      ),
    );
  }

  @Get(':id/history')
  @RequireScopes('master-data:read')
  @ApiOperation({
    summary: "A customer's change history",
    description:
      'Every field change from every source (ERP sync, channel update, steward approval), oldest ' +
      'first, with old and new value, source system, channel and correlation id. Replaying it ' +
      'rebuilds the current customer. Page with `cursor` = the previous `nextCursor`.',
  })
  @ApiOkResponse({ type: HistoryPageResponse, description: 'One page of history' })
  @ApiProblemResponses(400, NOT_FOUND)
  async history(
    @Param() params: CustomerIdParams,
    @Query() query: PageQuery,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<HistoryPageResponse> {
    const page = await this.queries.history(
      'customer',
      params.id,
      query.cursor,
      query.limit,
      channel.customerScope,
    );
    return { items: page.items.map(HistoryEntryResponse.from), nextCursor: page.nextCursor };
  }
}

function respond(reply: FastifyReply, result: GovernedChangeResult): GovernedChangeResponse {
  void reply.status(result.proposalId ? 202 : 200);
  return {
    fields: result.outcomes.map(FieldOutcomeResponse.from),
    proposalId: result.proposalId,
    customer: CustomerResponse.from(result.customer),
  };
}
