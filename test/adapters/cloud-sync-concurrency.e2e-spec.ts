import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudMasterDataFeed } from '../../src/adapters/erp/cloud/master-data/cloud-master-data.feed.js';
import { type DemoDataset, generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import type {
  DeltaEntry,
  DeltaPage,
  DeltaReadRequest,
} from '../../src/platform/delta-sync/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
  sandboxCredentials,
} from '../../src/erp-simulators/cloud/index.js';

const GATE_MAX_CONCURRENT = 4;
const PAGE_SIZE = 50;

/**
 * The cloud master-data feed keeps several requests in flight (streams read their next page
 * ahead, look-up waves overlap, pages are read ahead of the hub), so that the ERP's latency does
 * not cap a sync far below its rate limit. Observed at the sandbox, never by the clock: how many
 * requests it saw at once. The request gate stays the one limit (its in-flight cap holds), and
 * the feed contract holds whatever the concurrency: the same records, each once, in ascending
 * (lastModifiedDateTime, id) order within the pass.
 */
describe('cloud master-data sync with several requests in flight', () => {
  let dataset: DemoDataset;
  let sandbox: CloudErpSandbox;

  beforeAll(async () => {
    dataset = generateDemoDataset({ scale: 1 });
    // A little latency so that requests sent together are surely seen together.
    sandbox = await startCloudErpSandbox({ dataset, faults: { latencyMs: [2, 8] } });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  function feed(syncConcurrency: number, transport?: typeof fetch): CloudMasterDataFeed {
    return new CloudMasterDataFeed(
      new CloudErpConnection({
        ...sandboxCredentials(sandbox),
        localCurrency: dataset.company.baseCurrencyCode,
        syncConcurrency,
        fetch: transport,
        // Concurrency, not pacing, is under test: a rate the test never waits for.
        governor: {
          requestsPerWindow: 1_000_000,
          windowMs: 60_000,
          maxConcurrent: GATE_MAX_CONCURRENT,
        },
      }),
    );
  }

  /** A full pass of items, page after page as the hub reads it; with the sandbox's counters. */
  async function readItems(
    sut: CloudMasterDataFeed,
  ): Promise<{ entries: DeltaEntry<unknown>[]; requests: number; maxConcurrent: number }> {
    sandbox.stats.reset();
    const entries: DeltaEntry<unknown>[] = [];
    let request: DeltaReadRequest = { since: null, cursor: null, pageSize: PAGE_SIZE };
    for (;;) {
      const page: DeltaPage<unknown> = await sut.readItems(request);
      entries.push(...page.records);
      if (page.nextCursor === null) break;
      request = { ...request, cursor: page.nextCursor };
    }
    // Reads ahead of a pass that ended find no next page: nothing is left in flight.
    return {
      entries,
      requests: sandbox.stats.requests,
      maxConcurrent: sandbox.stats.maxConcurrent,
    };
  }

  /**
   * Counts requests of one kind that started while one of the other kind was in flight: a
   * stream's next page (`$skiptoken`) and a look-up by id (`$filter=… eq …`). Read one after the
   * other, a page's look-ups start only once its stream pages are in, and the next page's
   * stream reads only once the look-ups are answered: no overlap.
   */
  function overlapCounter(): { transport: typeof fetch; overlaps: () => number } {
    const inFlight = { stream: 0, lookup: 0 };
    let overlaps = 0;
    const transport: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const filter = url.searchParams.get('$filter') ?? '';
      const kind = / eq /.test(filter)
        ? 'lookup'
        : url.searchParams.has('$skiptoken')
          ? 'stream'
          : null;
      if (kind) {
        if (inFlight[kind === 'stream' ? 'lookup' : 'stream'] > 0) overlaps += 1;
        inFlight[kind] += 1;
      }
      try {
        return await fetch(input, init);
      } finally {
        if (kind) inFlight[kind] -= 1;
      }
    };
    return { transport, overlaps: () => overlaps };
  }

  const positions = (entries: DeltaEntry<unknown>[]): string[] =>
    entries.map((e) => `${e.modifiedAt ?? ''} ${e.sourceId}`);

  it('keeps several requests in flight, never more than the gate allows, and reads every item once in order', async () => {
    const counter = overlapCounter();
    const concurrent = await readItems(feed(8, counter.transport));

    // Streams read their next page while the current page's look-ups run.
    expect(counter.overlaps()).toBeGreaterThan(0);
    expect(concurrent.maxConcurrent).toBeGreaterThan(1);
    expect(concurrent.maxConcurrent).toBeLessThanOrEqual(GATE_MAX_CONCURRENT);
    const ids = concurrent.entries.map((e) => e.sourceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(dataset.items.map((i) => i.id.toLowerCase()).sort());
    const order = positions(concurrent.entries);
    expect(order).toEqual(
      [...order].sort((a, b) => {
        const [ta, ia] = a.split(' ');
        const [tb, ib] = b.split(' ');
        return Date.parse(ta) - Date.parse(tb) || (ia < ib ? -1 : ia > ib ? 1 : 0);
      }),
    );
  });

  it('reads the same pass one request at a time when the sync concurrency is 1, with no extra requests in parallel', async () => {
    const concurrent = await readItems(feed(8));
    const counter = overlapCounter();
    const sequential = await readItems(feed(1, counter.transport));

    expect(sequential.maxConcurrent).toBe(1);
    expect(counter.overlaps()).toBe(0);
    expect(positions(sequential.entries)).toEqual(positions(concurrent.entries));
    expect(sequential.entries).toEqual(concurrent.entries);
    // Reading ahead reads what the pass needs anyway: no request is spent on a guess.
    expect(concurrent.requests).toBe(sequential.requests);
  });
});
