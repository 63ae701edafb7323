import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import type { Customer } from '../../domain/customer.js';
import type { Item } from '../../domain/item.js';
import type { MasterDataKind } from '../../domain/master-data-kind.js';
import type { Warehouse } from '../../domain/warehouse.js';

/*
 * MasterDataFeed: how the hub reads customers, items and warehouses from the ERP.
 * ==============================================================================
 *
 * An ERP adapter (src/adapters/erp/*) implements this port; ErpAdapterModule binds the instance
 * with `{ provide: MasterDataFeed, useExisting: TheAdapter }` and exports the token. The adapter
 * class may `extends MasterDataFeed` or `implements MasterDataFeed` (the class is fully abstract,
 * so one adapter class can implement several ports, e.g. MasterDataFeed and PriceDataFeed).
 *
 * The request, page and entry types are the ones every ERP feed of the hub shares
 * (DeltaReadRequest, DeltaPage, DeltaEntry in src/platform/delta-sync); the rules below are the
 * contract all of them follow (PriceDataFeed and InventoryFeed refer to them by number).
 *
 * What the hub does with it (the generic delta-sync runner, src/platform/delta-sync, with the
 * master-data writer under the system-of-record rules): for each kind, in the order warehouses,
 * customers, items, it reads one "pass" of pages, one call at a time, never in parallel:
 *
 *     page = await feed.readCustomers({ since, cursor: null, pageSize })
 *     while (page.nextCursor !== null)
 *       page = await feed.readCustomers({ since, cursor: page.nextCursor, pageSize })
 *
 * After each page it validates the records, writes the valid ones and advances its stored
 * watermark in one transaction, and records each invalid one as an exception. The next pass
 * starts from that watermark MINUS an overlap window (MASTER_DATA_SYNC_LAG_SECONDS, default 120 s)
 * with `sourceId: ''`, so records whose change committed late (an ERP transaction that stamps a
 * row with a time older than rows already seen) are still read. Re-reading is cheap: the hub
 * hashes each record and does not rewrite an unchanged one. The window must be longer than the
 * ERP's longest write transaction (and its clock skew): a row that becomes visible later than
 * that behind the watermark is only seen when it changes again. (A source whose write
 * transactions cannot be bounded needs a commit-ordered watermark: a change to this contract.)
 *
 * The contract, in MUST/SHOULD/MAY terms:
 *
 * 1. Delta (`since`). Return every record whose change happened after `since`: modifiedAt later
 *    than since.modifiedAt, or equal to it with a sourceId ordinally greater than since.sourceId
 *    (code-unit order, like SQL `COLLATE "C"`; `''` is before every id, so `sourceId: ''` means
 *    "everything at since.modifiedAt too"). You MAY return more (e.g. compare `>=` on the time and
 *    ignore sourceId): extra records are re-applied idempotently. You MUST NOT return fewer.
 *    `since: null` means everything (first sync, or the bound adapter changed).
 *
 * 2. Order. Within a pass, records come in ascending modifiedAt, page after page (never a record
 *    older than one on an earlier page). Ties SHOULD be ordered by sourceId, ordinally.
 *
 * 3. Paging. `cursor` is yours and opaque to the hub: `null` on the first call of a pass; then the
 *    previous page's `nextCursor`, with the same `since` and `pageSize`. `nextCursor: null` ends
 *    the pass. Cursors need only live for the pass (minutes); the hub never stores one, and never
 *    reuses one after a failure (it starts a new pass from its watermark instead). Return at most
 *    `pageSize` records (fewer is fine; an empty page with a non-null cursor is allowed). Returning
 *    the cursor you were given is treated as a bug (the pass fails rather than loop forever).
 *    Records may change while a pass is running. You MUST page by key (seek/keyset on
 *    (modifiedAt, sourceId), or follow a server-driven next link that is key-based) and NEVER by
 *    offset (`OFFSET`, `$skip`): when a record on an unread page is modified it moves to the end,
 *    and offset paging then silently skips the record that slid into its place. With keyset
 *    paging a modified record either appears later in the same pass or carries a modifiedAt that
 *    the next pass reads. Either is fine; the hub relies on nothing more.
 *    For an OData/REST source: `$filter=lastModifiedDateTime ge {since}` plus
 *    `$orderby=lastModifiedDateTime,id` and your own keyset cursor, or the service's next link.
 *
 * 4. What modifiedAt means. The time of the last change to ANY data that goes into the canonical
 *    record: for a customer, its ship-to addresses too; for an item, its UoM conversions and
 *    substitutes too. If those live in their own tables with their own timestamps, use the
 *    greatest, and select on it for `since` (otherwise a changed ship-to is never synced).
 *    Format: ISO 8601 with an offset, e.g. `2026-05-13T10:15:30.123Z`. The hub keeps
 *    milliseconds and cuts finer digits (safe, since re-reading is allowed).
 *
 * 5. sourceId. The record's stable identity in the source (cloud: the entity `id` GUID; on-prem:
 *    the primary key as text). It names the record in exceptions and in the watermark. The hub
 *    stores records under their business key (customer number, SKU, warehouse code).
 *
 * 6. Records. A mapped record is canonical: the domain type below, with decimal strings for money
 *    and factors (`"1500.00"`, `"12"`, `"0.453592"`: plain notation, `.` separator, no exponent,
 *    never a JS number), ISO codes for currency and country, enums in the canonical spelling.
 *    Optional texts are `null` (or `''`, read as absent); the hub trims strings. The hub validates
 *    every record again (src/modules/master-data/domain/*.ts) and refuses it as an exception if
 *    a rule fails, so an adapter need not duplicate those rules; it only has to map faithfully.
 *    If a source row cannot be mapped at all (unknown enum value, unreadable column), return
 *    `{ sourceId, modifiedAt, invalid: { reason, payload } }` in its place: never skip a row
 *    silently and never fail the page for one row. `payload` is the source row as JSON-safe data
 *    (no credentials); `reason` is one sentence for a data steward. Include modifiedAt when known
 *    so the watermark can move past the row.
 *
 * 7. Deletes are not part of this contract: ERPs deactivate master data (status INACTIVE/BLOCKED,
 *    warehouse `active: false`) rather than delete it. A hard-deleted row stays in the hub (a
 *    `{ sourceId, modifiedAt, deleted: true }` entry moves the watermark and changes nothing).
 *
 * 8. Failures. Retry transient failures (429, 5xx, timeouts) inside the call, with backoff, within
 *    a bounded time; then throw. A throw fails that kind for this run (the other kinds still run);
 *    what was committed stays, and the next run resumes from the watermark. The error message is
 *    stored in the run and logged: no credentials in it.
 *
 * 9. `healthCheck()` answers within a couple of seconds and never throws: `{ up: false, details }`
 *    when the ERP cannot be reached or refuses the credentials. `details` is shown on
 *    /health/ready: no secrets.
 *
 * 10. `name` identifies the adapter (`'onprem'`, `'cloud'`). It is stored with every watermark:
 *    when the bound feed's name changes, the hub starts over from `since: null` (sourceIds and
 *    clocks of another source mean nothing).
 *
 * Canonical meanings the mapping must respect (see the domain types for every field):
 * - Customer.status: ACTIVE may order; BLOCKED exists but must not get new orders or shipments
 *   (e.g. Business Central `blocked` = Ship, Invoice or All); INACTIVE is no longer in use.
 * - Customer.creditLimit: `null` = no limit. If the ERP writes 0 for "no limit", send null; the
 *   hub reads "0" as a limit of zero. creditLimit and balanceDue are in the ERP company's local
 *   (accounting) currency, as ERPs keep them; `currency` is the currency the customer is invoiced
 *   in. A blank ERP currency means the local currency: send its ISO code, not null.
 * - Customer.shipTos: the ERP's default ship-to first (where an order naming none is delivered;
 *   the hub shows it as the order's ship-to), then by code.
 * - Item.status: ACTIVE sellable; DISCONTINUED no longer replenished (remaining stock may sell,
 *   channels offer substitutes); BLOCKED must not be sold.
 * - Item.uomConversions: factor = base units in one `uom`, exact (a case of 12 each: "12"). The
 *   base UoM may be listed (factor must be "1") or left out; the hub adds it.
 * - Item.fulfillmentType DROP_SHIP: the supplier ships to the customer; supplierId is required.
 */

/** The canonical record type of each kind. */
export interface MasterDataRecords {
  customers: Customer;
  items: Item;
  warehouses: Warehouse;
}

/** The ERP port of the master-data module. Abstract class = DI token (CONVENTIONS rule 1). */
export abstract class MasterDataFeed {
  /** Adapter name (rule 10). */
  abstract readonly name: string;

  abstract readCustomers(request: DeltaReadRequest): Promise<DeltaPage<Customer>>;

  abstract readItems(request: DeltaReadRequest): Promise<DeltaPage<Item>>;

  abstract readWarehouses(request: DeltaReadRequest): Promise<DeltaPage<Warehouse>>;

  abstract healthCheck(): Promise<DeltaFeedHealth>;
}

export type { MasterDataKind };
