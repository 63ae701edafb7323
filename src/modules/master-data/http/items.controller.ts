import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../../platform/auth/index.js';
import { ApiProblemResponses } from '../../../platform/openapi/index.js';
import { GovernanceQueries } from '../application/governance/governance.queries.js';
import { GetItemQuery } from '../application/queries/get-item/get-item.query.js';
import { ListItemChangesQuery } from '../application/queries/list-item-changes/list-item-changes.query.js';
import { PageQuery } from './dto/governance.query.js';
import { HistoryEntryResponse, HistoryPageResponse } from './dto/governance.response.js';
import { ItemPageResponse, ItemResponse } from './dto/item.response.js';
import { ListItemsQuery } from './dto/list-items.query.js';
import { SkuParams } from './dto/sku.params.js';

/** Items as the ERP keeps them, for channels: one by SKU, or a change feed. */
@ApiTags('Items')
@Controller('v1/items')
export class ItemsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly queries: GovernanceQueries,
  ) {}

  @Get()
  @RequireScopes('master-data:read')
  @ApiOperation({
    summary: 'List items, or the items changed since a point in time',
    description:
      'Items in the order the hub last wrote them. The first call may pass `changedSince` ' +
      '(items written at or after it); continue with `cursor` = the previous `nextCursor`. ' +
      'Paging is safe while a sync writes: no item is skipped, and an item changed during ' +
      'paging appears again later with its new values. When `hasMore` is false, keep ' +
      '`nextCursor` and poll with it to receive only later changes.',
  })
  @ApiOkResponse({ type: ItemPageResponse, description: 'One page of items' })
  @ApiProblemResponses({
    status: 400,
    description: 'Invalid query',
    code: 'INVALID_CURSOR',
    detail: 'The cursor is not one this API returned; start again without a cursor.',
  })
  async list(@Query() query: ListItemsQuery): Promise<ItemPageResponse> {
    const page = await this.queryBus.execute(
      new ListItemChangesQuery({
        changedSince: query.changedSince ? new Date(query.changedSince) : undefined,
        cursor: query.cursor,
        limit: query.limit,
      }),
    );
    return {
      items: page.items.map(ItemResponse.from),
      nextCursor: page.nextCursor,
      hasMore: page.hasMore,
    };
  }

  @Get(':sku')
  @RequireScopes('master-data:read')
  @ApiOperation({
    summary: 'Get an item by SKU',
    description:
      'The hub copy of the item: UoM conversions with exact factors, group, status, ' +
      'fulfillment type, supplier, lot control and substitutes.',
  })
  @ApiOkResponse({ type: ItemResponse, description: 'The item' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'Item not found',
    code: 'ITEM_NOT_FOUND',
    detail: 'No item with SKU ABR-10015 is known to the hub.',
  })
  async get(@Param() params: SkuParams): Promise<ItemResponse> {
    return ItemResponse.from(await this.queryBus.execute(new GetItemQuery(params.sku)));
  }

  @Get(':sku/history')
  @RequireScopes('master-data:read')
  @ApiOperation({
    summary: "An item's change history",
    description:
      'Every field change from every source, oldest first, with old and new value, source ' +
      'system, channel and correlation id. Replaying it rebuilds the current item. Page with ' +
      '`cursor` = the previous `nextCursor`.',
  })
  @ApiOkResponse({ type: HistoryPageResponse, description: 'One page of history' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'Item not found',
    code: 'ITEM_NOT_FOUND',
    detail: 'No item with SKU ABR-10015 is known to the hub.',
  })
  async history(
    @Param() params: SkuParams,
    @Query() query: PageQuery,
  ): Promise<HistoryPageResponse> {
    const page = await this.queries.history('item', params.sku, query.cursor, query.limit);
    return { items: page.items.map(HistoryEntryResponse.from), nextCursor: page.nextCursor };
  }
}
