import { Decimal } from 'decimal.js';
import { BcDecimal } from './bc-json.js';
import { bcErrors } from './bc-error.js';
import type { CloudErpStore } from './cloud-erp-store.js';
import { compareRows, lowerBound, type TableRow } from './entity-table.js';
import { type EntityView, readField } from './entity-views.js';
import {
  compileFilter,
  equalityList,
  type FieldReader,
  lastModifiedLowerBound,
  parseFilter,
} from './odata-filter.js';

/**
 * Continuation state carried in `$skiptoken`: opaque to clients (base64url JSON). Pages are
 * cut by key, never by offset: the next page starts after the last row's sort key, ending in
 * (lastModifiedDateTime, id). So a row changed while a client pages through a delta moves to
 * the end instead of shifting later pages and making the client skip a row.
 */
interface SkipToken {
  /** (lastModifiedDateTime ms, id) of the last row returned. */
  k?: [number, string];
  /** Custom $orderby: the last row's sort values (decimals as { d: text }). */
  s?: TokenValue[];
  /** Page size in force when the first page was asked for. */
  ps: number;
  /** What is left of $top, if the client gave one. */
  t?: number;
}

type TokenValue = string | number | boolean | null | { d: string };

interface SortKey {
  values: unknown[];
  modifiedMs: number;
  id: string;
}

function toTokenValue(value: unknown): TokenValue {
  if (value instanceof Decimal) return { d: value.toString() };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return null;
}

function fromTokenValue(value: TokenValue): unknown {
  return typeof value === 'object' && value !== null ? new Decimal(value.d) : value;
}

export interface CollectionQuery {
  predicate?: (read: FieldReader) => boolean;
  lowerBound?: { ms: number; inclusive: boolean };
  orderby?: { field: string; desc: boolean }[];
  top?: number;
  skip: number;
  select?: string[];
  expand: string[];
  count: boolean;
  pageSize: number;
  /** The client asked for the page size with `Prefer: odata.maxpagesize`. */
  preferredPageSize?: number;
  token?: SkipToken;
  /** The filter is `field eq a or field eq b ...` on a key-like field: served by an index. */
  keyLookup?: { field: string; values: Set<string> };
}

const SUPPORTED = new Set([
  '$filter',
  '$top',
  '$skip',
  '$orderby',
  '$select',
  '$expand',
  '$count',
  '$skiptoken',
]);

export function parseCollectionQuery(
  params: URLSearchParams,
  view: EntityView,
  prefer: string | undefined,
  maxPageSize: number,
  navigation: string[],
): CollectionQuery {
  for (const key of params.keys()) {
    if (key.startsWith('$') && !SUPPORTED.has(key)) {
      throw bcErrors.badRequest(`The query parameter '${key}' is not supported.`);
    }
  }
  const types = Object.fromEntries(Object.entries(view.fields).map(([k, v]) => [k, v.type]));
  const query: CollectionQuery = { skip: 0, expand: [], count: false, pageSize: maxPageSize };
  const filter = params.get('$filter');
  if (filter !== null) {
    const expression = parseFilter(filter);
    query.predicate = compileFilter(expression, types, view.entityType);
    if (view.fields.lastModifiedDateTime) query.lowerBound = lastModifiedLowerBound(expression);
    const list = equalityList(expression);
    const type = list ? types[list.field] : undefined;
    if (list && (type === 'guid' || type === 'string')) {
      query.keyLookup = {
        field: list.field,
        values: new Set(
          list.literals.map((l) => (type === 'guid' ? l.literal.toLowerCase() : l.literal)),
        ),
      };
    }
  }
  const top = params.get('$top');
  if (top !== null) query.top = nonNegativeInt('$top', top);
  const skip = params.get('$skip');
  if (skip !== null) query.skip = nonNegativeInt('$skip', skip);
  const orderby = params.get('$orderby');
  if (orderby !== null) {
    query.orderby = orderby.split(',').map((part) => {
      const [field, direction = 'asc', ...rest] = part.trim().split(/\s+/);
      if (!view.fields[field] || view.fields[field].type === 'json') {
        throw bcErrors.badRequest(
          `Could not find a property named '${field}' on type 'Microsoft.NAV.${view.entityType}'.`,
        );
      }
      if (rest.length > 0 || !/^(asc|desc)$/i.test(direction)) {
        throw bcErrors.badRequest(`Syntax error in $orderby at '${part.trim()}'.`);
      }
      return { field, desc: direction.toLowerCase() === 'desc' };
    });
    // Ascending (lastModifiedDateTime[, id]) is the default order: keep the indexed path.
    const [first, second, ...others] = query.orderby;
    if (
      first.field === 'lastModifiedDateTime' &&
      !first.desc &&
      (second === undefined || (second.field === 'id' && !second.desc)) &&
      others.length === 0
    ) {
      query.orderby = undefined;
    }
  }
  const select = params.get('$select');
  if (select !== null) {
    query.select = select.split(',').map((s) => s.trim());
    for (const field of query.select) {
      if (!view.fields[field]) {
        throw bcErrors.badRequest(
          `Could not find a property named '${field}' on type 'Microsoft.NAV.${view.entityType}'.`,
        );
      }
    }
  }
  const expand = params.get('$expand');
  if (expand !== null) {
    query.expand = expand.split(',').map((s) => s.trim());
    for (const nav of query.expand) {
      if (!navigation.includes(nav)) {
        throw bcErrors.badRequest(
          `Could not find a navigation property named '${nav}' on type 'Microsoft.NAV.${view.entityType}'.`,
        );
      }
    }
  }
  const count = params.get('$count');
  if (count !== null) query.count = count.toLowerCase() === 'true';
  const preferred = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer ?? '');
  if (preferred) {
    query.preferredPageSize = Math.max(1, Number(preferred[1]));
    query.pageSize = Math.min(query.preferredPageSize, maxPageSize);
  }
  const token = params.get('$skiptoken');
  if (token !== null) {
    query.token = decodeToken(token);
    query.pageSize = query.token.ps;
    query.top = query.token.t;
  }
  return query;
}

export interface CollectionPage<T> {
  rows: TableRow<T>[];
  /** Query string options for the next page (with `$skiptoken`), if there is one. */
  next?: string;
  count?: number;
}

export function executeCollectionQuery<T>(
  view: EntityView<T>,
  allSorted: TableRow<T>[],
  store: CloudErpStore,
  query: CollectionQuery,
  params: URLSearchParams,
): CollectionPage<T> {
  // BC answers key look-ups (`customerId eq A or customerId eq B`) from an index; so does the
  // sandbox, or a delta reader looking up the rows of a page's records would scan every row.
  const sorted = query.keyLookup ? indexedRows(view, allSorted, store, query.keyLookup) : allSorted;
  const matches = (row: TableRow<T>): boolean =>
    (!view.include || view.include(row.data)) &&
    (!query.predicate || query.predicate((field) => readField(view, row, field, store)));
  const limit = Math.min(query.pageSize, query.top ?? Number.POSITIVE_INFINITY);
  const page: TableRow<T>[] = [];
  let more = false;
  let nextToken: SkipToken | undefined;
  const count = query.count ? sorted.filter(matches).length : undefined;

  if (!query.orderby) {
    let start = 0;
    if (query.lowerBound)
      start = firstAtOrAfter(sorted, query.lowerBound.ms, query.lowerBound.inclusive);
    if (query.token?.k) {
      start = Math.max(
        start,
        lowerBound(sorted, { modifiedMs: query.token.k[0], id: query.token.k[1] }, false),
      );
    }
    let toSkip = query.token ? 0 : query.skip;
    for (let i = start; i < sorted.length; i++) {
      const row = sorted[i];
      if (!matches(row)) continue;
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      if (page.length >= limit) {
        more = true;
        break;
      }
      page.push(row);
    }
    if (more) {
      const last = page[page.length - 1];
      nextToken = { k: [last.modifiedMs, last.id], ps: query.pageSize };
    }
  } else {
    // Custom $orderby pages by key too: the sort values of the last row, then (modifiedMs, id).
    const order = query.orderby;
    const keys = new Map<TableRow<T>, SortKey>();
    const keyOf = (row: TableRow<T>): SortKey => {
      let key = keys.get(row);
      if (!key) {
        key = {
          values: order.map((o) => sortable(readField(view, row, o.field, store))),
          modifiedMs: row.modifiedMs,
          id: row.id,
        };
        keys.set(row, key);
      }
      return key;
    };
    const compare = (a: SortKey, b: SortKey): number => {
      for (let i = 0; i < order.length; i++) {
        const c = compareSortable(a.values[i], b.values[i]);
        if (c !== 0) return order[i].desc ? -c : c;
      }
      return compareRows(a, b);
    };
    const all = sorted.filter(matches).sort((a, b) => compare(keyOf(a), keyOf(b)));
    let start = query.token ? 0 : query.skip;
    if (query.token?.s) {
      const after: SortKey = {
        values: query.token.s.map(fromTokenValue),
        modifiedMs: query.token.k?.[0] ?? 0,
        id: query.token.k?.[1] ?? '',
      };
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(keyOf(all[mid]), after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    page.push(...all.slice(start, start + (Number.isFinite(limit) ? limit : all.length)));
    more = start + page.length < all.length && page.length === limit;
    if (more) {
      const last = keyOf(page[page.length - 1]);
      nextToken = {
        s: last.values.map(toTokenValue),
        k: [last.modifiedMs, last.id],
        ps: query.pageSize,
      };
    }
  }
  if (nextToken && query.top !== undefined) {
    nextToken.t = query.top - page.length;
    if (nextToken.t <= 0) nextToken = undefined;
  }
  let next: string | undefined;
  if (nextToken) {
    // Options stay as the client wrote them ($filter, not %24filter); $top/$skip live in the token.
    const kept = [...params].filter(([k]) => k !== '$skiptoken' && k !== '$top' && k !== '$skip');
    kept.push(['$skiptoken', Buffer.from(JSON.stringify(nextToken)).toString('base64url')]);
    next = kept
      .map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`)
      .join('&');
  }
  return { rows: page, next, count };
}

function firstAtOrAfter<T>(rows: TableRow<T>[], ms: number, inclusive: boolean): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].modifiedMs < ms || (!inclusive && rows[mid].modifiedMs === ms)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sortable(value: unknown): unknown {
  return value instanceof BcDecimal ? new Decimal(value.text) : value;
}

function compareSortable(a: unknown, b: unknown): number {
  if (a instanceof Decimal && b instanceof Decimal) return a.comparedTo(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function nonNegativeInt(option: string, value: string): number {
  if (!/^\d+$/.test(value))
    throw bcErrors.badRequest(
      `Invalid value '${value}' for ${option}: a non-negative integer is expected.`,
    );
  return Number(value);
}

function decodeToken(text: string): SkipToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SkipToken;
    if (typeof token.ps !== 'number' || token.ps < 1) throw new Error('bad page size');
    return token;
  } catch {
    throw bcErrors.badRequest('The $skiptoken is invalid or has expired.');
  }
}

/** Per sorted row array (a new one after every write) and field: rows by field value. */
const keyIndexes = new WeakMap<object, Map<string, Map<string, TableRow<unknown>[]>>>();

/** The rows whose `field` is one of `values`, in (lastModifiedDateTime, id) order. */
function indexedRows<T>(
  view: EntityView<T>,
  sorted: TableRow<T>[],
  store: CloudErpStore,
  lookup: { field: string; values: Set<string> },
): TableRow<T>[] {
  let byField = keyIndexes.get(sorted);
  if (!byField) {
    byField = new Map();
    keyIndexes.set(sorted, byField);
  }
  const indexKey = `${view.name}|${lookup.field}`;
  let index = byField.get(indexKey) as Map<string, TableRow<T>[]> | undefined;
  if (!index) {
    index = new Map();
    const guid = view.fields[lookup.field].type === 'guid';
    for (const row of sorted) {
      const raw = readField(view, row, lookup.field, store);
      const value = guid ? String(raw ?? '').toLowerCase() : String(raw ?? '');
      const list = index.get(value);
      if (list) list.push(row);
      else index.set(value, [row]);
    }
    byField.set(indexKey, index as Map<string, TableRow<unknown>[]>);
  }
  const rows: TableRow<T>[] = [];
  for (const value of lookup.values) rows.push(...(index.get(value) ?? []));
  return rows.sort(compareRows);
}
