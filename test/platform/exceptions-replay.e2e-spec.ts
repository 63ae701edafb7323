import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CorrelationContext } from '../../src/platform/correlation/index.js';
import { ApplicationError } from '../../src/platform/errors/index.js';
import { ExceptionsService, type OpsExceptionDetail } from '../../src/platform/exceptions/index.js';
import { JobsService, PermanentJobError } from '../../src/platform/jobs/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Payload of the test job: it fails for good until an operator sends `fixed: true`. */
interface Payload {
  key: string;
  fixed?: boolean;
  quantity?: unknown;
}

interface Run {
  jobId: string;
  key: string;
  correlationId: string;
  succeeded: boolean;
}

interface Action {
  action: string;
  by: { channelId: string; channelName: string; apiKeyId: string; keyPrefix: string | null };
  reason: string | null;
  payloadBefore: unknown;
  payloadAfter: unknown;
  payloadCorrected: boolean;
  jobId: string | null;
  correlationId: string | null;
  at: string;
}

interface ExceptionBody {
  id: string;
  type: string;
  status: string;
  source: string;
  reference: string;
  payload: unknown;
  correlationId: string | null;
  replayOf: string | null;
  actions: Action[];
  replay?: {
    jobId: string | null;
    at: string;
    by: Action['by'];
    reason: string | null;
    payloadCorrected: boolean;
  };
}

interface Problem {
  status: number;
  code: string;
  detail: string;
  violations?: { code: string; field: string; message: string }[];
}

const suffix = randomUUID().slice(0, 8);
const QUEUE = `test.replay.${suffix}`;
const TYPE = `test.replay-failed.${suffix}`;
const FEED = `test.replay-feed.${suffix}`;
/** A queue that declares no payload check: it takes no corrected payload. */
const RAW_QUEUE = `test.replay-raw.${suffix}`;
const runs: Run[] = [];
const feedReplays: { id: string; payload: unknown; reason: string | null }[] = [];

/** Registers the test job and a non-job replayer the way a module would, at module init. */
@Injectable()
class ReplayFixtures implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly exceptions: ExceptionsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<Payload>({
      name: QUEUE,
      exceptionType: TYPE,
      retryLimit: 0,
      pollingIntervalSeconds: 0.5,
      reference: (payload) => payload.key,
      validateReplayPayload: (payload) => {
        const p = payload as Partial<Payload> | null;
        const violations: string[] = [];
        if (typeof p?.key !== 'string') violations.push('key must be a string');
        if (
          p?.quantity !== undefined &&
          !(typeof p.quantity === 'string' && /^\d+$/.test(p.quantity))
        )
          violations.push('quantity must be a decimal string of digits');
        return violations;
      },
      handler: (payload, ctx) => {
        const succeeded = payload.fixed === true;
        runs.push({
          jobId: ctx.jobId,
          key: payload.key,
          correlationId: ctx.correlationId,
          succeeded,
        });
        if (!succeeded) {
          return Promise.reject(
            new PermanentJobError(`ERP rejected ${payload.key}`, { code: 'TEST_REJECTED' }),
          );
        }
        return Promise.resolve();
      },
    });
    this.jobs.register<Payload>({
      name: RAW_QUEUE,
      exceptionType: TYPE,
      retryLimit: 0,
      pollingIntervalSeconds: 0.5,
      reference: (payload) => payload.key,
      handler: (payload) =>
        Promise.reject(
          new PermanentJobError(`ERP rejected ${payload.key}`, { code: 'TEST_REJECTED' }),
        ),
    });
    this.exceptions.registerReplayer((exception) => exception.source.startsWith(`${FEED}:`), {
      replay: async (exception, context) => {
        await context.manager.query('SELECT 1');
        if (exception.reference === 'refuses') {
          throw new ApplicationError('TEST_FEED_DOWN', 'The feed is down.', 'unavailable');
        }
        feedReplays.push({ id: exception.id, payload: context.payload, reason: context.reason });
        return {};
      },
    });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('replay and discard of exception records', () => {
  let hub: TestApp;
  let jobs: JobsService;
  let exceptions: ExceptionsService;
  let db: DataSource;
  let opsKey: string;
  let opsChannelId: string;

  beforeAll(async () => {
    hub = await startTestApp({}, { providers: [ReplayFixtures] });
    jobs = hub.app.get(JobsService);
    exceptions = hub.app.get(ExceptionsService);
    db = hub.app.get(DataSource);
    const ops = await createTestChannel(hub.app, { kind: 'operations', scopes: ['ops:admin'] });
    opsKey = ops.apiKey;
    opsChannelId = ops.channel.id;
  });

  afterAll(async () => {
    await hub.close();
  });

  const post = (path: string, body?: unknown, key: string | null = opsKey): Promise<Response> =>
    fetch(`${hub.baseUrl}/v1/ops/exceptions/${path}`, {
      method: 'POST',
      headers: {
        ...(key ? bearer(key) : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  const getRecord = async (id: string): Promise<ExceptionBody> => {
    const res = await fetch(`${hub.baseUrl}/v1/ops/exceptions/${id}`, { headers: bearer(opsKey) });
    expect(res.status).toBe(200);
    return (await res.json()) as ExceptionBody;
  };

  const recordsOf = async (key: string): Promise<OpsExceptionDetail[]> =>
    (await exceptions.list({ type: TYPE, limit: 200 })).items.filter(
      (item) => item.reference === key,
    );

  /** Enqueues a job that fails for good and waits for its open exception record. */
  async function deadLettered(key: string, correlationId = `corr-${randomUUID()}`, queue = QUEUE) {
    await CorrelationContext.run({ correlationId, origin: 'http' }, () =>
      jobs.enqueue<Payload>(queue, { key }),
    );
    const [record] = await waitFor(`the exception record of ${key}`, async () => {
      const found = await recordsOf(key);
      return found.length > 0 ? found : undefined;
    });
    expect(record).toMatchObject({ status: 'open', source: queue, correlationId });
    return { id: record!.id, correlationId };
  }

  const replayJobsOf = async (exceptionId: string): Promise<number> => {
    const rows: { n: string }[] = await db.query(
      `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND data->>'replayOf' = $2`,
      [QUEUE, exceptionId],
    );
    return Number(rows[0]!.n);
  };

  it('replays with a corrected payload: one new job runs and succeeds, and the action is audited', async () => {
    const key = `SO-fix-${suffix}`;
    const { id, correlationId } = await deadLettered(key);

    const res = await post(`${id}/replay`, {
      payload: { key, fixed: true },
      reason: 'ship-to corrected in the ERP',
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as ExceptionBody;
    const by = {
      channelId: opsChannelId,
      channelName: expect.any(String),
      apiKeyId: expect.any(String),
      keyPrefix: opsKey.split('_')[1],
    };
    expect(body).toMatchObject({
      id,
      status: 'replayed',
      payload: { key },
      replayOf: null,
      replay: {
        jobId: expect.any(String),
        at: expect.any(String),
        by,
        reason: 'ship-to corrected in the ERP',
        payloadCorrected: true,
      },
    });
    const jobId = body.replay!.jobId!;

    const run = await waitFor('the replayed job to run', () => runs.find((r) => r.jobId === jobId));
    expect(run).toMatchObject({ key, succeeded: true, correlationId });
    await sleep(1200); // a second run or a new exception record would show by now
    expect(runs.filter((r) => r.jobId === jobId)).toHaveLength(1);
    expect((await recordsOf(key)).map((r) => r.id)).toEqual([id]);

    const record = await getRecord(id);
    expect(record.status).toBe('replayed');
    expect(record.actions).toEqual([
      {
        action: 'replay',
        by,
        reason: 'ship-to corrected in the ERP',
        payloadBefore: { key },
        payloadAfter: { key, fixed: true },
        payloadCorrected: true,
        jobId,
        correlationId: expect.any(String),
        id: expect.any(String),
        at: body.replay!.at,
      },
    ]);

    const again = await post(`${id}/replay`, { payload: { key, fixed: true } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      code: 'EXCEPTION_NOT_OPEN',
      detail: expect.stringContaining('is replayed'),
    });
  });

  it('records a replay that fails again as a new open record pointing back to the one it replays', async () => {
    const key = `SO-broken-${suffix}`;
    const { id, correlationId } = await deadLettered(key);

    const res = await post(`${id}/replay`);
    expect(res.status).toBe(202);
    const body = (await res.json()) as ExceptionBody;
    expect(body.replay).toMatchObject({ payloadCorrected: false, reason: null });

    const next = await waitFor('the record of the failed replay', async () =>
      (await recordsOf(key)).find((r) => r.id !== id),
    );
    expect(next).toMatchObject({
      status: 'open',
      replayOf: id,
      correlationId,
      payload: { key },
      error: { code: 'TEST_REJECTED' },
    });
    const original = await getRecord(id);
    expect(original.status).toBe('replayed');
    expect(original.actions[0]).toMatchObject({
      payloadBefore: { key },
      payloadAfter: null,
      payloadCorrected: false,
      jobId: body.replay!.jobId,
    });
    expect((await getRecord(next.id)).replayOf).toBe(id);
  });

  it('discards an open record with a reason, and refuses to replay or discard it afterwards', async () => {
    const { id } = await deadLettered(`SO-discard-${suffix}`);

    const res = await post(`${id}/discard`, { reason: 'order cancelled by the customer' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ExceptionBody;
    expect(body).toMatchObject({ id, status: 'discarded' });
    expect(body.actions).toEqual([
      expect.objectContaining({
        action: 'discard',
        reason: 'order cancelled by the customer',
        payloadBefore: { key: `SO-discard-${suffix}` },
        payloadAfter: null,
        jobId: null,
        by: expect.objectContaining({ channelId: opsChannelId }),
      }),
    ]);

    const replay = await post(`${id}/replay`, {});
    expect(replay.status).toBe(409);
    const problem = (await replay.json()) as Problem;
    expect(problem).toMatchObject({ code: 'EXCEPTION_NOT_OPEN' });
    expect(problem.detail).toContain('is discarded');
    expect(await replayJobsOf(id)).toBe(0);

    const discardAgain = await post(`${id}/discard`, { reason: 'again' });
    expect(discardAgain.status).toBe(409);
    expect((await getRecord(id)).actions).toHaveLength(1);
  });

  it('lets only one of two concurrent replays through, and enqueues one job', async () => {
    const key = `SO-race-${suffix}`;
    const { id } = await deadLettered(key);

    const responses = await Promise.all([
      post(`${id}/replay`, { payload: { key, fixed: true }, reason: 'first' }),
      post(`${id}/replay`, { payload: { key, fixed: true }, reason: 'second' }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([202, 409]);
    const loser = responses.find((r) => r.status === 409)!;
    expect(await loser.json()).toMatchObject({ code: 'EXCEPTION_NOT_OPEN' });
    expect(await replayJobsOf(id)).toBe(1);
    expect((await getRecord(id)).actions).toHaveLength(1);
  });

  it('answers 400 with every violation to a corrected payload the job refuses, and leaves the record open', async () => {
    const { id } = await deadLettered(`SO-invalid-${suffix}`);

    const res = await post(`${id}/replay`, { payload: { quantity: 1.5 } });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('INVALID_REPLAY_PAYLOAD');
    expect(problem.violations).toEqual([
      { code: 'INVALID_REPLAY_PAYLOAD', field: 'payload', message: 'key must be a string' },
      {
        code: 'INVALID_REPLAY_PAYLOAD',
        field: 'payload',
        message: 'quantity must be a decimal string of digits',
      },
    ]);
    const record = await getRecord(id);
    expect(record).toMatchObject({ status: 'open', actions: [] });
    expect(await replayJobsOf(id)).toBe(0);
  });

  it('refuses a corrected payload about another business object than the failed job (400)', async () => {
    const key = `SO-mine-${suffix}`;
    const { id } = await deadLettered(key);

    const res = await post(`${id}/replay`, {
      payload: { key: `SO-someone-else-${suffix}`, fixed: true },
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('INVALID_REPLAY_PAYLOAD');
    expect(problem.violations?.[0].message).toContain(key);
    expect(await getRecord(id)).toMatchObject({ status: 'open', actions: [] });
    expect(await replayJobsOf(id)).toBe(0);
  });

  it('refuses any corrected payload on a queue that declares no payload check, and replays the original', async () => {
    const key = `SO-raw-${suffix}`;
    const { id } = await deadLettered(key, undefined, RAW_QUEUE);

    const unrelated = await post(`${id}/replay`, { payload: { anything: ['at', 'all'] } });
    expect(unrelated.status).toBe(400);
    expect(((await unrelated.json()) as Problem).code).toBe('INVALID_REPLAY_PAYLOAD');
    expect(await getRecord(id)).toMatchObject({ status: 'open', actions: [] });

    const original = await post(`${id}/replay`, { reason: 'ERP fixed' });
    expect(original.status).toBe(202);
    expect(((await original.json()) as ExceptionBody).replay).toMatchObject({
      payloadCorrected: false,
    });
    // The original payload runs again (and fails again: a new record pointing back).
    const next = await waitFor('the record of the replayed original', async () =>
      (await recordsOf(key)).find((r) => r.id !== id),
    );
    expect(next).toMatchObject({ replayOf: id, payload: { key } });
  });

  it('answers 409 EXCEPTION_NOT_REPLAYABLE for a source nothing can replay', async () => {
    const recorded = await exceptions.record({
      type: TYPE,
      source: `test.no-replayer.${suffix}`,
      reference: 'SKU-1',
      payload: { sku: 'SKU-1' },
      error: { name: 'InvalidSyncRecord', message: 'unit of measure missing' },
    });
    const res = await post(`${recorded.id}/replay`, {});
    expect(res.status).toBe(409);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('EXCEPTION_NOT_REPLAYABLE');
    expect(problem.detail).toContain(`test.no-replayer.${suffix}`);
    expect((await getRecord(recorded.id)).status).toBe('open');

    // It can still be closed by hand.
    expect((await post(`${recorded.id}/discard`, { reason: 'fixed in the ERP' })).status).toBe(200);
  });

  it('replays a non-job source through a replayer a module registered, on the same transaction', async () => {
    const ok = await exceptions.record({
      type: TYPE,
      source: `${FEED}:items`,
      reference: 'SKU-2',
      payload: { sku: 'SKU-2' },
      error: { name: 'InvalidSyncRecord', message: 'unit of measure missing' },
    });
    const res = await post(`${ok.id}/replay`, { payload: { sku: 'SKU-2', uom: 'EA' } });
    expect(res.status).toBe(202);
    expect(((await res.json()) as ExceptionBody).replay).toMatchObject({
      jobId: null,
      payloadCorrected: true,
    });
    expect(feedReplays).toContainEqual({
      id: ok.id,
      payload: { sku: 'SKU-2', uom: 'EA' },
      reason: null,
    });

    // A replayer that fails rolls the status change and the audit row back.
    const refused = await exceptions.record({
      type: TYPE,
      source: `${FEED}:items`,
      reference: 'refuses',
      error: { name: 'InvalidSyncRecord', message: 'unit of measure missing' },
    });
    const failed = await post(`${refused.id}/replay`, {});
    expect(failed.status).toBe(503);
    expect(await getRecord(refused.id)).toMatchObject({ status: 'open', actions: [] });
  });

  it('needs an API key with ops:admin', async () => {
    const id = randomUUID();
    expect((await post(`${id}/replay`, {}, null)).status).toBe(401);
    expect((await post(`${id}/discard`, { reason: 'x' }, null)).status).toBe(401);
    const { apiKey } = await createTestChannel(hub.app, { scopes: ['orders:write'] });
    expect((await post(`${id}/replay`, {}, apiKey)).status).toBe(403);
    expect((await post(`${id}/discard`, { reason: 'x' }, apiKey)).status).toBe(403);
  });

  it('answers 404 for an unknown record and 400 for a missing, blank or long reason', async () => {
    const missing = await post(`${randomUUID()}/replay`, {});
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'EXCEPTION_NOT_FOUND' });

    const recorded = await exceptions.record({
      type: TYPE,
      source: `test.no-replayer.${suffix}`,
      error: { name: 'Error', message: 'x' },
    });
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const res = await post(`${recorded.id}/discard`, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).violations?.map((v) => v.field)).toContain('reason');
    }
    const longReplay = await post(`${recorded.id}/replay`, { reason: 'x'.repeat(501) });
    expect(longReplay.status).toBe(400);
    expect((await getRecord(recorded.id)).status).toBe('open');
  });

  it('counts replays and discards per action and type', async () => {
    const text = await (await fetch(`${hub.baseUrl}/metrics`)).text();
    const sample = (action: string): number => {
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(`crossdock_ops_exception_actions_total{action="${action}",type="${TYPE}"}`),
        );
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    };
    // Earlier tests: 5 replays went through (corrected, broken, race winner, raw original,
    // feed), 2 discards.
    expect(sample('replay')).toBe(5);
    expect(sample('discard')).toBe(2);

    // The dead-letter depth gauge counts only what is still open.
    const open = (await exceptions.list({ type: TYPE, status: 'open', limit: 200 })).items;
    const gauge = text
      .split('\n')
      .find((l) => l.startsWith(`crossdock_exceptions_open{type="${TYPE}"}`));
    expect(Number(gauge?.slice(gauge.lastIndexOf(' ') + 1))).toBe(open.length);
    expect(open.length).toBeLessThan(
      (await exceptions.list({ type: TYPE, limit: 200 })).items.length,
    );
  });
});
