/**
 * The rules of POST /v1/inventory/events, as the OpenAPI description states them (the README's
 * Inventory section says the same). Kept beside the controller so that the code and the
 * contract are reviewed together.
 */
export const STOCK_EVENT_RULES = `Applies a batch of stock events pushed by a WMS or the ERP. \
Quantities are in the item's base UoM.

**Each event is applied at most once.** The \`eventId\` is the dedupe key, stored durably (it \
survives restarts and is shared by every instance). An eventId received before with the same \
content answers \`DUPLICATE\` and changes nothing; with different content it is \`REJECTED\` \
(\`EVENT_ID_REUSED\`). Ids are remembered for at least 30 days, and for as long as the event could \
still change a position.

**Ordering.** Events are ordered by \`occurredAt\` (millisecond precision), ties broken by \
\`eventId\` (ordinal), never by arrival. Per position (sku × warehouse × lot):
- a \`SNAPSHOT\` at or before the last applied snapshot of that position is ignored \
(\`IGNORED\`, reason \`STALE_SNAPSHOT\`);
- an \`ADJUSTMENT\` that happened before the last applied snapshot is ignored (\`IGNORED\`, \
reason \`BEFORE_SNAPSHOT\`): the count already includes it;
- an applied \`SNAPSHOT\` sets on hand to its quantity plus every applied \`ADJUSTMENT\` that \
happened after it (one that arrived before the snapshot is not lost);
- an applied \`ADJUSTMENT\` adds its quantity (negative = out) to on hand.
So duplicates and any order of arrival end in the same on-hand figures. ERP balances read by the \
inventory sync take part as snapshots at their modification time.

**Per-event results.** Every event is checked on its own; a bad one is \`REJECTED\` with every \
reason (\`UNKNOWN_SKU\`, \`UNKNOWN_WAREHOUSE\`, \`LOT_REQUIRED\`, \`LOT_NOT_ALLOWED\`, \
\`INVALID_QUANTITY\`, \`NEGATIVE_SNAPSHOT\`, \`ZERO_ADJUSTMENT\`, \`OCCURRED_IN_FUTURE\` (more \
than 5 minutes ahead), \`QUANTITY_OUT_OF_RANGE\` (applying it would take the lot's or the \
position's on hand beyond ±999,999,999,999.999999), \`REQUIRED\`, …) and is not recorded, so it \
can be fixed and sent again; the others are applied. The answer is 200 with one result per event, in batch order, whenever \
the batch itself is well-formed (400 only for a malformed batch).

**No Idempotency-Key.** This endpoint does not take one: every event carries its own key, which \
makes a retry of the whole batch, of part of it, or of events regrouped into other batches safe; \
a retried batch answers \`DUPLICATE\` for what was already applied.

Events are applied in one transaction per batch; each position whose ATP changed emits \
AvailabilityChanged.`;
