import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import type {
  Contract,
  PriceDataKind,
  PriceList,
  PriceListEntry,
  Promotion,
} from '../../domain/price-data.js';

/*
 * PriceDataFeed: how the hub reads prices, contracts and promotions from the ERP.
 * ===============================================================================
 *
 * The ERP is the pricing authority. An ERP adapter (src/adapters/erp/*) implements this port;
 * ErpAdapterModule binds the instance with `{ provide: PriceDataFeed, useExisting: TheAdapter }`
 * and exports the token. The class is fully abstract: one adapter class may implement several
 * ports (MasterDataFeed, PriceDataFeed, ...).
 *
 * The contract is the MasterDataFeed contract (src/modules/master-data/application/ports/
 * master-data.feed.ts, rules 1-10): read it first. In short, for each kind, in the order
 * priceLists, priceListEntries, contracts, promotions, the hub reads one pass of pages:
 *
 *     page = await feed.readContracts({ since, cursor: null, pageSize })
 *     while (page.nextCursor !== null)
 *       page = await feed.readContracts({ since, cursor: page.nextCursor, pageSize })
 *
 *  1. Delta: every record changed after `since` (modifiedAt > since.modifiedAt, or equal with a
 *     sourceId ordinally greater); more is fine, fewer is not; `since: null` = everything.
 *  2. Order: ascending (modifiedAt, sourceId) within a pass.
 *  3. Paging: by key (seek on (modifiedAt, sourceId) or a key-based next link), NEVER by offset;
 *     `cursor` is opaque, `nextCursor: null` ends the pass, never return the cursor you were given.
 *  4. modifiedAt: the last change to ANY source row that goes into the canonical record, ISO 8601
 *     with offset (for a promotion, its scope rows too: use the greatest and select on it).
 *  5. sourceId: the record's stable identity in the source (cloud: the entity id; on-prem: the
 *     primary key as text). The hub stores records under their business key (below).
 *  6. Records are canonical (the domain types, src/modules/pricing/domain/price-data.ts): decimal
 *     strings in plain notation (`"12.5"`, never a JS number), dates `YYYY-MM-DD`, UoM and
 *     currency codes as the ERP has them (the hub upper-cases them). The hub re-validates every
 *     record and refuses a failing one as an exception (type `sync.record_invalid`, source
 *     `pricing:<kind>`). A row that cannot be mapped at all is returned as
 *     `{ sourceId, modifiedAt, invalid: { reason, payload } }`: never skipped silently.
 *  8. Failures: retry transient ones inside the call (bounded), then throw; the hub resumes from
 *     its watermark next run.
 *  9. healthCheck() answers within seconds and never throws. 10. `name` identifies the adapter:
 *     a watermark written under another name is ignored (the hub starts over).
 *
 * What differs from master data:
 *
 * 7'. Deletes ARE part of this contract, because a deleted price that lingers in the hub is a
 *     wrong price. A feed that can see deletes (the on-prem ERP journals them) returns
 *     `{ sourceId, modifiedAt, deleted: true }` in modifiedAt order like any change (modifiedAt =
 *     when it was deleted); the hub removes the record it holds under that sourceId. A feed that
 *     cannot (the cloud ERP's API has no deleted-records feed) relies on full passes: whenever the
 *     hub reads a kind from `since: null` (first sync, another adapter, or POST
 *     /v1/admin/sync/pricing?full=true) it removes afterwards every record whose sourceId the
 *     complete pass did not return. Schedule a full sync (e.g. nightly) for such feeds.
 *
 * Kinds, their business keys, and the canonical meanings the mapping must respect:
 *
 * - priceLists (key: code). type BASE = for everyone, per currency (several BASE lists of one
 *   currency may exist with different validity: the newest valid one wins); CUSTOMER = owned by
 *   `customerId`, used by that account and its child accounts. `active: false` for a list the ERP
 *   marks inactive. Validity dates inclusive, `validTo: null` = open-ended.
 * - priceListEntries (key: priceListCode + sku + uom + minQuantity). One price per row: the
 *   list's price of an item in a UoM from `minQuantity` up, in that UoM. `minQuantity "0"` is the
 *   line's own price; higher ones are quantity breaks (BC: priceListLines.minimumQuantity; on-prem:
 *   pr_price_list_line with "0" and each pr_price_break as its own entry). An entry belongs to a
 *   list by code and may arrive before its list (both kinds are synced in the same run).
 * - contracts (key: contractNo). `customerId` is the account (a parent account's contract applies
 *   to its child accounts). Exactly one of sku / itemGroup. FIXED: fixedPrice per `uom` (item
 *   contracts only). PERCENT_OFF: discountPercent (0 < p <= 100) off the customer's price-book
 *   price. minQuantity in the item's base UoM, null = none.
 * - promotions (key: code). discountType PERCENT_OFF (discountPercent), AMOUNT_OFF
 *   (discountAmount per BASE unit, in `currency`), FIXED_PRICE (fixedPrice per base unit, in
 *   `currency`). Scope: items / itemGroups (both empty = every item), customers (restricts to
 *   those accounts and their children; empty = everyone), channels (channel names or kinds;
 *   empty = every channel). requiresCode: applies only to quotes that carry the code. stackable /
 *   priority: see the README "## Pricing". An ERP without these notions maps requiresCode false,
 *   stackable false (the single best promotion applies), priority 0, channels [].
 */

/** The ERP port of the pricing module. Abstract class = DI token (CONVENTIONS rule 1). */
export abstract class PriceDataFeed {
  /** Adapter name (rule 10). */
  abstract readonly name: string;

  abstract readPriceLists(request: DeltaReadRequest): Promise<DeltaPage<PriceList>>;

  abstract readPriceListEntries(request: DeltaReadRequest): Promise<DeltaPage<PriceListEntry>>;

  abstract readContracts(request: DeltaReadRequest): Promise<DeltaPage<Contract>>;

  abstract readPromotions(request: DeltaReadRequest): Promise<DeltaPage<Promotion>>;

  abstract healthCheck(): Promise<DeltaFeedHealth>;
}

export type { PriceDataKind };
