import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Invoice, Shipment } from '../../domain/shipment.js';
import { InvoiceRepository } from '../../infrastructure/invoice.repository.js';
import { ShipmentRepository } from '../../infrastructure/shipment.repository.js';
import { FulfillmentErrors } from '../fulfillment.errors.js';
import {
  DEFAULT_LIMIT,
  decodeSeqCursor,
  encodeSeqCursor,
  type ReaderScope,
} from './fulfillment-reader.js';

export interface DocumentFilter {
  orderId?: string;
  changedSince?: string;
  cursor?: string;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class ListShipmentsQuery extends Query<Page<Shipment>> {
  constructor(
    readonly scope: ReaderScope,
    readonly filter: DocumentFilter,
  ) {
    super();
  }
}

export class GetShipmentQuery extends Query<Shipment> {
  constructor(
    readonly scope: ReaderScope,
    readonly id: string,
  ) {
    super();
  }
}

export class ListInvoicesQuery extends Query<Page<Invoice>> {
  constructor(
    readonly scope: ReaderScope,
    readonly filter: DocumentFilter,
  ) {
    super();
  }
}

export class GetInvoiceQuery extends Query<Invoice> {
  constructor(
    readonly scope: ReaderScope,
    readonly id: string,
  ) {
    super();
  }
}

const visibleTo = (
  scope: ReaderScope,
  owners: { orderChannelId: string; sourceChannelId: string | null } | null,
): boolean =>
  owners !== null &&
  (scope.kind === 'all' ||
    (scope.kind === 'ordering' && owners.orderChannelId === scope.channelId) ||
    (scope.kind === 'confirming' && owners.sourceChannelId === scope.channelId));

/** Changes first-to-last (change order): a channel polls with the last nextCursor or changedSince. */
@QueryHandler(ListShipmentsQuery)
export class ListShipmentsHandler implements IQueryHandler<ListShipmentsQuery> {
  constructor(private readonly shipments: ShipmentRepository) {}

  async execute({ scope, filter }: ListShipmentsQuery): Promise<Page<Shipment>> {
    const limit = filter.limit ?? DEFAULT_LIMIT;
    const page = await this.shipments.list({
      orderId: filter.orderId,
      changedSince: filter.changedSince,
      afterSeq: decodeSeqCursor(filter.cursor),
      limit,
      ...(scope.kind === 'ordering' ? { orderChannelId: scope.channelId } : {}),
      ...(scope.kind === 'confirming' ? { sourceChannelId: scope.channelId } : {}),
    });
    return { items: page.items, nextCursor: encodeSeqCursor(page.lastSeq, page.more) };
  }
}

@QueryHandler(GetShipmentQuery)
export class GetShipmentHandler implements IQueryHandler<GetShipmentQuery> {
  constructor(private readonly shipments: ShipmentRepository) {}

  async execute({ scope, id }: GetShipmentQuery): Promise<Shipment> {
    const shipment = visibleTo(scope, await this.shipments.ownersOf(id))
      ? await this.shipments.find(id)
      : null;
    if (!shipment) throw FulfillmentErrors.shipmentNotFound(id);
    return shipment;
  }
}

@QueryHandler(ListInvoicesQuery)
export class ListInvoicesHandler implements IQueryHandler<ListInvoicesQuery> {
  constructor(private readonly invoices: InvoiceRepository) {}

  async execute({ scope, filter }: ListInvoicesQuery): Promise<Page<Invoice>> {
    const afterSeq = decodeSeqCursor(filter.cursor);
    if (scope.kind === 'confirming') return { items: [], nextCursor: null };
    const page = await this.invoices.list({
      orderId: filter.orderId,
      changedSince: filter.changedSince,
      afterSeq,
      limit: filter.limit ?? DEFAULT_LIMIT,
      ...(scope.kind === 'ordering' ? { orderChannelId: scope.channelId } : {}),
    });
    return { items: page.items, nextCursor: encodeSeqCursor(page.lastSeq, page.more) };
  }
}

@QueryHandler(GetInvoiceQuery)
export class GetInvoiceHandler implements IQueryHandler<GetInvoiceQuery> {
  constructor(private readonly invoices: InvoiceRepository) {}

  async execute({ scope, id }: GetInvoiceQuery): Promise<Invoice> {
    const owner = await this.invoices.ownerOf(id);
    const visible =
      owner !== null &&
      visibleTo(scope, { orderChannelId: owner, sourceChannelId: null }) &&
      scope.kind !== 'confirming';
    const invoice = visible ? await this.invoices.find(id) : null;
    if (!invoice || !visible) throw FulfillmentErrors.invoiceNotFound(id);
    return invoice;
  }
}

export const fulfillmentQueryHandlers = [
  ListShipmentsHandler,
  GetShipmentHandler,
  ListInvoicesHandler,
  GetInvoiceHandler,
];
