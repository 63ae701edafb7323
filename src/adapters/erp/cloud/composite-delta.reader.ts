import { randomUUID } from 'node:crypto';
import { UnmappableRecordError } from '../shared/canonical-fields.js';
import { compareIds } from '../shared/feed-position.js';
import {
  BC_MAX_PAGE_SIZE,
  type BcApi,
  type BcRow,
  type CloudErpConnection,
  isMissingEntitySet,
  type ODataPage,
} from './cloud-erp.connection.js';
import { OutstandingRequests } from './outstanding-requests.js';

/**
 * One entity set that contributes to a canonical record: the record's own entity (`id` is the
 * record's id), a 1:1 custom page over the same record, or child rows (ship-to addresses, item
 * units of measure, ...) that name their record in `parentField`.
 */
export interface DeltaPart {
  name: string;
  api: BcApi;
  entitySet: string;
  /** `id` for the record itself and 1:1 pages; the foreign key (`customerId`) for children. */
  parentField: string;
  cardinality: 'one' | 'many';
  /** Fields the mapping needs (id, lastModifiedDateTime and parentField are added). */
  select: string[];
  /**
   * A custom API page the record can do without: while it is missing (404) its rows read as
   * none and the mapping falls back to standard BC (CloudErpConnection.customPageAvailable).
   */
  optional?: boolean;
  /**
   * Only rows of the record entity that match this OData filter (e.g. `externalDocumentNumber
   * ne ''`); first part only.
   */
  filter?: string;
  /** Navigation properties read with each row (a document's lines); first part only. */
  expand?: string[];
}

/** A position in a pass: lastModifiedDateTime in ms, then the record id in code-unit order. */
export interface DeltaPosition {
  ms: number;
  id: string;
}

/** All current rows of one record, by part name, and the greatest lastModifiedDateTime. */
export interface CompositeRecord {
  id: string;
  ms: number;
  rows: Record<string, BcRow[]>;
}

/** Where a page leaves the pass: the position, and the pass state that continues from it. */
export interface DeltaCursor {
  position: DeltaPosition;
  pass: string;
  seq: number;
}

export interface DeltaPage {
  records: CompositeRecord[];
  next: DeltaCursor | null;
  /** How many records changed in the record's own entity set (first page only; progress logs). */
  totalEstimate?: number;
}

/** Record ids per `$filter` (BC keeps URLs short: 40 GUIDs ≈ 2 kB). */
const IDS_PER_LOOKUP = 40;
/** Look-ups per part in one wave of candidates (the governor caps what really runs at once). */
const LOOKUP_WAVE = 4;
/**
 * Waves started before the one being sorted out is answered: the next waves' look-ups wait at
 * the gate while the current one's answers travel back, so the gate is never starved between
 * waves, nor between pages. A wave that turns out not to be needed for this page is not wasted:
 * still under way, it serves the pass's next page.
 */
const WAVES_AHEAD = 2;
/** Stream pages read in one call to find a full page of records, after the first. */
const MAX_STREAM_READS_PER_PAGE = 24;
/** Passes kept per record kind (one runs at a time; a spare for an abandoned one). */
const MAX_PASSES = 3;
/** A pass nobody asked for a page of this long is dropped (cursors live minutes, rule 3). */
const PASS_IDLE_MS = 15 * 60_000;

/**
 * Reads records composed of several BC entity sets in the order MasterDataFeed demands: by the
 * greatest lastModifiedDateTime over ALL their rows (rule 4), with key-based paging (rule 3).
 *
 * BC has no query for "customers whose ship-to changed": each set only knows its own
 * lastModifiedDateTime. So a pass merges the sets' own deltas:
 *
 * 1. Every part is streamed once per pass, `lastModifiedDateTime ge start` in that order, by
 *    the server's next links (key-based skip tokens). Below the horizon H, the smallest
 *    last-read time among streams that have more, every changed row has been seen, so every
 *    record whose greatest time is below H has shown up by its newest row.
 * 2. Such candidates are looked up by id in their child sets (all rows, whatever their time;
 *    1:1 rows come from the streams), which gives each its exact greatest time and complete
 *    children. One whose greatest time is H or later (a newer row not streamed yet) waits until
 *    H passes it: a record is emitted once, complete, at its true position.
 * 3. Pages emit candidates in (time, id) order. A row that changes during the pass gets a later
 *    time and comes round again in its stream, so its record is emitted again, later: nothing
 *    is skipped, and no page ever holds a record older than one already emitted.
 *
 * The pass state (stream positions, records seen) lives in memory between pages, keyed by the
 * cursor. A cursor whose pass is gone (restart, another instance) starts a new pass from the
 * cursor's position: slower, still correct.
 *
 * Several requests in flight (the ERP's latency would otherwise cap a sync far below its rate
 * limit): in a pass that continues, each stream reads its next page (its next link) as soon as
 * the current one arrives, and look-up waves overlap. At most `syncConcurrency` requests of
 * one reader are outstanding; the request gate alone decides when each starts (rate, AIMD,
 * in-flight cap). Order and paging are unchanged: a stream's pages are still consumed in order,
 * by the server's key-based next links.
 */
export class CompositeDeltaReader {
  private readonly passes = new Map<string, DeltaPass>();
  /** This reader's requests outstanding at the gate (all its passes together). */
  readonly outstanding: OutstandingRequests;

  constructor(
    private readonly erp: CloudErpConnection,
    private readonly parts: DeltaPart[],
  ) {
    if (parts[0]?.cardinality !== 'one' || parts[0].parentField !== 'id') {
      throw new Error('The first part must be the record entity itself.');
    }
    if (parts.slice(1).some((p) => p.filter || p.expand)) {
      throw new Error('Only the record entity itself takes a filter or an expand.');
    }
    this.outstanding = new OutstandingRequests(erp.syncConcurrency);
  }

  /**
   * The page after `from` (exclusive; null = from the beginning) as a pass of its own, for
   * cursors that carry only a position: correct for any parts, and as cheap as a pass for a
   * record read from one entity set (no child sets to merge).
   */
  async readPage(
    from: DeltaPosition | null,
    pageSize: number,
    options: { countTotal?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ records: CompositeRecord[]; next: DeltaPosition | null; totalEstimate?: number }> {
    // A pass of one page: nothing is read ahead (it would be thrown away with the pass).
    const pass = new DeltaPass(this.erp, this.parts, from, pageSize, {
      countTotal: !!options.countTotal,
      readAhead: false,
      outstanding: this.outstanding,
    });
    const page = await pass.nextPage(pageSize, options.signal);
    return { ...page, next: page.next?.position ?? null };
  }

  /**
   * The page after `cursor` (a page of a running pass), or the first page of a pass from
   * `since` (exclusive; null = everything).
   */
  async readPassPage(
    since: DeltaPosition | null,
    cursor: DeltaCursor | null,
    pageSize: number,
    signal?: AbortSignal,
  ): Promise<DeltaPage> {
    this.evictIdle();
    let pass = cursor ? this.passes.get(cursor.pass) : undefined;
    if (!pass || pass.seq !== cursor?.seq) {
      pass = new DeltaPass(this.erp, this.parts, cursor?.position ?? since, pageSize, {
        countTotal: !cursor,
        readAhead: true,
        outstanding: this.outstanding,
      });
      this.passes.set(pass.id, pass);
      while (this.passes.size > MAX_PASSES) {
        this.passes.delete(this.passes.keys().next().value as string);
      }
    }
    // Taken out while a page is read: a page that fails half-way leaves the pass state
    // undefined, and its cursor then starts a new pass from its position.
    this.passes.delete(pass.id);
    const page = await pass.nextPage(pageSize, signal);
    if (page.next) this.passes.set(pass.id, pass);
    return page;
  }

  private evictIdle(): void {
    const now = Date.now();
    for (const [id, pass] of this.passes) {
      if (now - pass.usedAt > PASS_IDLE_MS) this.passes.delete(id);
    }
  }
}

interface PassOptions {
  /** Ask for `$count` on the record stream's first page (progress estimate). */
  countTotal: boolean;
  /**
   * Read each stream's next page as soon as the current one arrives, and look-up waves ahead
   * (passes that continue: what is read ahead serves their next pages).
   */
  readAhead: boolean;
  outstanding: OutstandingRequests;
}

/** One pass over a kind: the part streams, and which records are waiting to be emitted. */
class DeltaPass {
  readonly id = randomUUID();
  seq = 0;
  usedAt = Date.now();
  private readonly streams: PartStream[];
  /** Newest streamed row time per record not yet emitted with it. */
  private readonly pending = new Map<string, number>();
  /** 1:1 rows streamed for pending records, by part, then record id. */
  private readonly single: Map<string, BcRow>[];
  /** Complete records looked up for a page they did not fit on, while still current. */
  private readonly lookedUp = new Map<string, { streamed: number; record: CompositeRecord }>();
  /** Look-ups under way for a later page: the wave's answer, and the row time it was for. */
  private readonly lookingUp = new Map<
    string,
    { streamed: number | undefined; records: Promise<CompositeRecord[]> }
  >();
  private position: DeltaPosition | null;
  private readonly countTotal: boolean;
  private readonly readAhead: boolean;
  private readonly outstanding: OutstandingRequests;

  constructor(
    private readonly erp: CloudErpConnection,
    private readonly parts: DeltaPart[],
    start: DeltaPosition | null,
    pageSize: number,
    options: PassOptions,
  ) {
    this.position = start;
    this.countTotal = options.countTotal;
    this.readAhead = options.readAhead;
    this.outstanding = options.outstanding;
    this.streams = parts.map(
      (part, index) =>
        new PartStream(erp, part, start, pageSize, {
          withCount: options.countTotal && index === 0,
          readAhead: options.readAhead,
          outstanding: options.outstanding,
        }),
    );
    this.single = parts.map(() => new Map<string, BcRow>());
  }

  async nextPage(pageSize: number, signal?: AbortSignal): Promise<DeltaPage> {
    this.usedAt = Date.now();
    const first = this.seq === 0;
    if (first) await Promise.all(this.streams.map((s, i) => this.read(s, i, signal)));
    let horizon = this.horizon();
    for (let reads = 0; horizon !== Number.POSITIVE_INFINITY; reads++) {
      const startMs = this.position?.ms ?? Number.NEGATIVE_INFINITY;
      // Nothing at or before the position can be emitted: read on until H passes it.
      if (horizon > startMs) {
        if (reads >= MAX_STREAM_READS_PER_PAGE) break;
        if (this.candidates(horizon).length >= pageSize) break;
      }
      await Promise.all(
        this.streams.map((s, i) => (s.limits(horizon) ? this.read(s, i, signal) : undefined)),
      );
      horizon = this.horizon();
    }

    const candidates = this.candidates(horizon);
    const waves: { id: string; known: number }[][] = [];
    for (let i = 0; i < candidates.length; i += IDS_PER_LOOKUP * LOOKUP_WAVE) {
      waves.push(candidates.slice(i, i + IDS_PER_LOOKUP * LOOKUP_WAVE));
    }
    const started: Promise<CompositeRecord[]>[] = [];
    const start = (k: number): void => {
      if (k >= waves.length || k < started.length) return;
      started[k] = this.complete(waves[k], signal);
      // Awaited below (in order); a failure before its turn must not go unhandled.
      started[k].catch(() => undefined);
    };
    const eligible: CompositeRecord[] = [];
    let looked = 0;
    let wave = 0;
    while (wave < waves.length) {
      // A pass of one page reads no wave ahead: it would be thrown away with the pass.
      for (let k = wave; k <= wave + (this.readAhead ? WAVES_AHEAD : 0); k++) start(k);
      this.sortOut(await started[wave], horizon, eligible);
      looked += waves[wave].length;
      wave += 1;
      if (eligible.length >= pageSize && looked < candidates.length) {
        eligible.sort(comparePositions);
        // Candidates not looked up are at least at their newest row seen: none comes earlier.
        if (eligible[pageSize - 1].ms < candidates[looked].known) break;
      }
    }
    // Waves started ahead but not needed for this page: not awaited (the page goes to the hub
    // now); still under way, they serve the next page's look-ups of the same records.
    for (; wave < started.length; wave++) {
      for (const { id } of waves[wave]) {
        this.lookingUp.set(id, { streamed: this.pending.get(id), records: started[wave] });
      }
    }
    eligible.sort(comparePositions);
    const records = eligible.slice(0, pageSize);
    for (const record of records) this.emitted(record.id);
    for (const record of eligible.slice(pageSize)) {
      this.lookedUp.set(record.id, { streamed: this.pending.get(record.id) ?? 0, record });
    }
    const cut = eligible.length > pageSize || looked < candidates.length;
    const last = records[records.length - 1];
    const exhausted = horizon === Number.POSITIVE_INFINITY && !cut;
    this.position =
      cut && last ? { ms: last.ms, id: last.id } : exhausted ? null : { ms: horizon, id: '' };
    this.seq += 1;
    const count = this.streams[0].count;
    return {
      records,
      next: this.position ? { position: this.position, pass: this.id, seq: this.seq } : null,
      ...(first && this.countTotal && count !== undefined ? { totalEstimate: count } : {}),
    };
  }

  /** Looked-up records that can go on a page into `eligible`; the others wait or drop out. */
  private sortOut(records: CompositeRecord[], horizon: number, eligible: CompositeRecord[]): void {
    for (const record of records) {
      // Gone from every set since it was streamed: deletes are not part of the contract.
      if (!Number.isFinite(record.ms)) {
        this.pending.delete(record.id);
        continue;
      }
      // A newer row of it is still ahead in a stream: it waits until the horizon passes
      // that row's time (not looked up again before).
      if (record.ms >= horizon) {
        this.pending.set(record.id, Math.max(this.pending.get(record.id) ?? 0, record.ms));
        continue;
      }
      if (this.position && comparePositions(record, this.position) <= 0) {
        this.pending.delete(record.id);
        continue;
      }
      eligible.push(record);
    }
  }

  private async read(stream: PartStream, index: number, signal?: AbortSignal): Promise<void> {
    for (const row of await stream.readMore(signal)) {
      const newest = Math.max(this.pending.get(row.parent) ?? Number.NEGATIVE_INFINITY, row.ms);
      this.pending.set(row.parent, newest);
      if (stream.part.cardinality === 'one') this.single[index].set(row.parent, row.row);
      // Its looked-up state is older than this row: look it up again when it is due.
      this.lookedUp.delete(row.parent);
      this.lookingUp.delete(row.parent);
    }
  }

  private horizon(): number {
    return Math.min(...this.streams.map((s) => s.lastMs));
  }

  /** Pending records whose newest streamed row is below the horizon, oldest first. */
  private candidates(horizon: number): { id: string; known: number }[] {
    const out: { id: string; known: number }[] = [];
    for (const [id, known] of this.pending) if (known < horizon) out.push({ id, known });
    return out.sort((a, b) => a.known - b.known || compareIds(a.id, b.id));
  }

  private emitted(id: string): void {
    this.pending.delete(id);
    this.lookedUp.delete(id);
    this.lookingUp.delete(id);
    for (const single of this.single) single.delete(id);
  }

  /** Every current row of these records: streamed 1:1 rows, looked up children. */
  private async complete(wave: { id: string }[], signal?: AbortSignal): Promise<CompositeRecord[]> {
    const cached = new Map<string, CompositeRecord>();
    const flying = new Map<Promise<CompositeRecord[]>, string[]>();
    for (const { id } of wave) {
      const hit = this.lookedUp.get(id);
      const flight = this.lookingUp.get(id);
      this.lookingUp.delete(id);
      if (hit && hit.streamed === this.pending.get(id)) cached.set(id, hit.record);
      else if (flight && flight.streamed === this.pending.get(id)) {
        flying.set(flight.records, [...(flying.get(flight.records) ?? []), id]);
      }
    }
    const waiting = new Set([...flying.values()].flat());
    const own = wave.map((c) => c.id).filter((id) => !cached.has(id) && !waiting.has(id));
    const [landed, looked] = await Promise.all([landedOf(flying), this.lookUpRecords(own, signal)]);
    // A look-up ahead that failed (or lost a record) is done again now.
    const again = [...waiting].filter((id) => !landed.has(id));
    const retried = again.length > 0 ? await this.lookUpRecords(again, signal) : [];
    return [...cached.values(), ...landed.values(), ...looked, ...retried];
  }

  /** Every current row of these records, looked up part by part (1:1 rows from the streams). */
  private async lookUpRecords(ids: string[], signal?: AbortSignal): Promise<CompositeRecord[]> {
    if (ids.length === 0) return [];
    const rows = new Map<string, Record<string, BcRow[]>>(
      ids.map((id) => [id, Object.fromEntries(this.parts.map((p) => [p.name, [] as BcRow[]]))]),
    );
    await Promise.all(
      this.parts.map(async (part, index) => {
        const single = part.cardinality === 'one' ? this.single[index] : null;
        const missing: string[] = [];
        for (const id of ids) {
          const row = single?.get(id);
          if (row) rows.get(id)?.[part.name].push(row);
          else missing.push(id);
        }
        for (const row of await this.lookUp(part, missing, signal)) {
          rows.get(idOf(row[part.parentField]))?.[part.name].push(row);
        }
      }),
    );
    return ids.map((id) => {
      const parts = rows.get(id) as Record<string, BcRow[]>;
      let ms = Number.NEGATIVE_INFINITY;
      for (const list of Object.values(parts)) {
        for (const row of list) ms = Math.max(ms, modifiedMs(row));
      }
      return { id, ms, rows: parts };
    });
  }

  /** All rows of `part` belonging to these records, by `parentField eq id or ...`. */
  private async lookUp(part: DeltaPart, ids: string[], signal?: AbortSignal): Promise<BcRow[]> {
    if (ids.length === 0) return [];
    if (part.optional && !this.erp.customPageAvailable(part.entitySet)) return [];
    try {
      return await this.lookUpRows(part, ids, signal);
    } catch (error) {
      if (part.optional && isMissingEntitySet(error)) return [];
      throw error;
    }
  }

  private async lookUpRows(part: DeltaPart, ids: string[], signal?: AbortSignal): Promise<BcRow[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP)
      chunks.push(ids.slice(i, i + IDS_PER_LOOKUP));
    const found = await Promise.all(
      chunks.map((chunk) =>
        this.outstanding.run(() =>
          this.erp.all(
            part.api,
            part.entitySet,
            {
              filter: chunk.map((id) => `${part.parentField} eq ${id}`).join(' or '),
              select: selectOf(part),
            },
            // The rows of 40 records fit one page; next links cover any more.
            1000,
            signal,
          ),
        ),
      ),
    );
    return found.flat();
  }
}

/** The records that look-ups under way (by wave) brought for these ids; failed waves bring none. */
async function landedOf(
  flying: Map<Promise<CompositeRecord[]>, string[]>,
): Promise<Map<string, CompositeRecord>> {
  const landed = new Map<string, CompositeRecord>();
  for (const [records, ids] of flying) {
    const byId = new Map((await records.catch(() => [])).map((r) => [r.id, r]));
    for (const id of ids) {
      const record = byId.get(id);
      if (record) landed.set(id, record);
    }
  }
  return landed;
}

/** Marks an optional page found missing (an empty page that ends the stream). */
const MISSING: ODataPage<BcRow> = { rows: [], nextLink: null };

interface StreamRow {
  parent: string;
  ms: number;
  row: BcRow;
}

/**
 * One part's delta stream in a pass: rows by lastModifiedDateTime, page after page. With
 * read-ahead, the page behind the next link is requested as soon as the link arrives (one page
 * ahead, consumed in order): the pass rarely waits for a stream's answer.
 */
class PartStream {
  count?: number;
  private readonly pageSize: number;
  private nextLink: string | null = null;
  private started = false;
  private last = Number.NEGATIVE_INFINITY;
  /** The page behind `nextLink`, requested ahead. */
  private ahead: Promise<ODataPage<BcRow>> | null = null;
  private readonly withCount: boolean;
  private readonly readAhead: boolean;
  private readonly outstanding: OutstandingRequests;

  constructor(
    private readonly erp: CloudErpConnection,
    readonly part: DeltaPart,
    private readonly from: DeltaPosition | null,
    pageSize: number,
    options: { withCount: boolean; readAhead: boolean; outstanding: OutstandingRequests },
  ) {
    this.withCount = options.withCount;
    this.readAhead = options.readAhead;
    this.outstanding = options.outstanding;
    // Children stream only their keys and times (their rows are looked up per record), so
    // bigger pages cost little and save requests.
    this.pageSize = Math.min(
      part.cardinality === 'one' ? pageSize : pageSize * 4,
      BC_MAX_PAGE_SIZE,
    );
  }

  get exhausted(): boolean {
    return this.started && this.nextLink === null;
  }

  /** Time of the last row read: everything before it in this stream has been read. */
  get lastMs(): number {
    return this.exhausted ? Number.POSITIVE_INFINITY : this.last;
  }

  limits(horizon: number): boolean {
    return !this.exhausted && this.lastMs <= horizon;
  }

  async readMore(signal?: AbortSignal): Promise<StreamRow[]> {
    if (this.exhausted) return [];
    let page: ODataPage<BcRow>;
    if (!this.started) {
      if (this.part.optional && !this.erp.customPageAvailable(this.part.entitySet)) {
        this.started = true;
        return [];
      }
      page = await this.firstPage(signal);
      if (page === MISSING) {
        this.started = true;
        return [];
      }
      this.started = true;
      this.count = page.count;
    } else {
      const ahead = this.ahead;
      this.ahead = null;
      // A read-ahead that failed is read again now, with the governor's retries.
      page = ahead ? await ahead.catch(() => this.nextPage(signal)) : await this.nextPage(signal);
    }
    this.nextLink = page.nextLink;
    if (this.readAhead && this.nextLink) {
      this.ahead = this.nextPage(signal);
      this.ahead.catch(() => undefined);
    }
    const rows = page.rows.map((row) => {
      let ms = parsedMs(row);
      if (Number.isNaN(ms)) {
        ms = Number.isFinite(this.last) ? this.last : (this.from?.ms ?? 0);
        UNTIMED.set(row, { entitySet: this.part.entitySet, ms });
      }
      this.last = Math.max(this.last, ms);
      return { parent: idOf(row[this.part.parentField]), ms, row };
    });
    return rows;
  }

  private nextPage(signal?: AbortSignal): Promise<ODataPage<BcRow>> {
    const link = this.nextLink as string;
    return this.outstanding.run(() => this.erp.next(link, this.pageSize, signal));
  }

  /** The stream's first page; MISSING when an optional custom page is not installed (404). */
  private async firstPage(signal?: AbortSignal): Promise<ODataPage<BcRow>> {
    try {
      return await this.outstanding.run(() =>
        this.erp.page(
          this.part.api,
          this.part.entitySet,
          {
            // `ge`: rows at the start's very millisecond may still be after it (by id).
            filter: streamFilter(this.from, this.part.filter),
            expand: this.part.expand,
            select:
              this.part.cardinality === 'one'
                ? selectOf(this.part)
                : ['id', this.part.parentField, 'lastModifiedDateTime'],
            orderby: 'lastModifiedDateTime asc,id asc',
            count: this.withCount,
          },
          this.pageSize,
          signal,
        ),
      );
    } catch (error) {
      if (this.part.optional && isMissingEntitySet(error)) return MISSING;
      throw error;
    }
  }
}

function streamFilter(from: DeltaPosition | null, filter: string | undefined): string | undefined {
  const since = from ? `lastModifiedDateTime ge ${new Date(from.ms).toISOString()}` : undefined;
  if (since && filter) return `${since} and (${filter})`;
  return since ?? filter;
}

export function comparePositions(a: DeltaPosition, b: DeltaPosition): number {
  return a.ms - b.ms || compareIds(a.id, b.id);
}

function selectOf(part: DeltaPart): string[] {
  return [...new Set(['id', part.parentField, 'lastModifiedDateTime', ...part.select])];
}

/** BC writes GUIDs in lower case; the sandbox too. Normalised so ids compare as text. */
function idOf(value: unknown): string {
  return String(value ?? '').toLowerCase();
}

/**
 * Rows that came without a readable lastModifiedDateTime. Such a row cannot be placed by its
 * own time: a streamed one takes the time of the row before it in its stream (the stream is in
 * time order, so the record keeps its place), and its record is reported as ONE invalid record
 * (assertTimed), never failing the whole kind.
 */
const UNTIMED = new WeakMap<BcRow, { entitySet: string; ms: number }>();

function parsedMs(row: BcRow): number {
  const value = row.lastModifiedDateTime;
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

function modifiedMs(row: BcRow): number {
  const ms = parsedMs(row);
  return Number.isNaN(ms) ? (UNTIMED.get(row)?.ms ?? Number.NEGATIVE_INFINITY) : ms;
}

/** Throws UnmappableRecordError when any row of the record has no lastModifiedDateTime. */
export function assertTimed(record: CompositeRecord): void {
  const untimed: string[] = [];
  for (const [part, rows] of Object.entries(record.rows)) {
    for (const row of rows) {
      if (Number.isNaN(parsedMs(row))) untimed.push(`${part} ${String(row.id)}`);
    }
  }
  if (untimed.length > 0) {
    throw new UnmappableRecordError(
      `The ERP sent rows without a readable lastModifiedDateTime (${untimed.join(', ')}): the hub cannot order their changes.`,
    );
  }
}

/** The record's position as an ISO instant (an untimed first row sits at the epoch). */
export function modifiedAtOf(record: CompositeRecord): string {
  return new Date(Number.isFinite(record.ms) ? record.ms : 0).toISOString();
}
