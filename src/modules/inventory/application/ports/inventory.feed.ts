import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import type { InventoryBalance } from '../../domain/inventory-balance.js';

/*
 * InventoryFeed: how the hub reads stock balances from the ERP.
 * ============================================================
 *
 * An ERP adapter (src/adapters/erp/*) implements this port; ErpAdapterModule binds it with
 * `{ provide: InventoryFeed, useExisting: TheAdapter }` and exports the token. The hub reads it
 * with the generic delta-sync runner (src/platform/delta-sync), so it follows the same contract
 * as MasterDataFeed (src/modules/master-data/application/ports/master-data.feed.ts) for deltas,
 * order, paging, failures and health, rule by rule:
 *
 * 1. Delta (`since`): every balance changed after since.modifiedAt (or at it, with a greater
 *    sourceId); more is fine, fewer is not. `since: null` = every balance.
 * 2. Order: ascending modifiedAt across the pass, ties by sourceId ordinally.
 * 3. Paging: keyset, `nextCursor: null` ends the pass; at most `pageSize` records a page.
 * 4. modifiedAt: the time of the last change to the balance row (on hand, allocated, expiry),
 *    ISO 8601 with offset. It orders the balance against stock events pushed by a WMS: a balance
 *    is applied as a SNAPSHOT of its lot's on-hand at that instant (see the inventory README).
 * 5. sourceId: the balance row's identity in the source (cloud: the entity id; on-prem:
 *    `ITEM|WAREHOUSE|LOT`, lot empty when the item is not lot-controlled).
 * 6. Records: one InventoryBalance per item × warehouse × lot, canonical. A row that cannot be
 *    mapped comes back as `{ sourceId, modifiedAt, invalid: { reason, payload } }`.
 * 7. Deletes: an adapter that sees them MAY send `{ sourceId, modifiedAt, deleted: true }`; the
 *    hub keeps the lot's last figures either way (a deleted ERP balance row says nothing about
 *    the stock on the shelf).
 * 8-10. Failures, healthCheck() and `name` as MasterDataFeed.
 */

/** The ERP port of the inventory module. Abstract class = DI token (CONVENTIONS rule 1). */
export abstract class InventoryFeed {
  abstract readonly name: string;

  abstract readBalances(request: DeltaReadRequest): Promise<DeltaPage<InventoryBalance>>;

  abstract healthCheck(): Promise<DeltaFeedHealth>;
}

export type { InventoryBalance };
