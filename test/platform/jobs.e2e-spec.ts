import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { CorrelationContext } from '../../src/platform/correlation/index.js';
import { type JobContext, JobsService, PermanentJobError } from '../../src/platform/jobs/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** One run of a test job, as the handlers below record it. */
interface Run {
  queue: string;
  key: string;
  instance: string;
  attempt: number;
  ran_at: Date;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('durable jobs', () => {
  let hub: TestApp;
  let jobs: JobsService;
  let db: DataSource;
  let opsKey: string;

  beforeAll(async () => {
    hub = await startTestApp();
    jobs = hub.app.get(JobsService);
    db = hub.app.get(DataSource);
    await db.query(`CREATE TABLE IF NOT EXISTS test_job_run (
      queue text NOT NULL, key text NOT NULL, instance text NOT NULL, attempt integer NOT NULL,
      ran_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    ({ apiKey: opsKey } = await createTestChannel(hub.app, {
      kind: 'operations',
      scopes: ['ops:admin'],
    }));
  });

  afterAll(async () => {
    await hub.close();
  });

  const queueName = (what: string): string => `test.${what}.${randomUUID().slice(0, 8)}`;

  /** A handler that records each run in test_job_run through the given app's DataSource. */
  const recorder =
    (app: TestApp, instance: string, delayMs = 0) =>
    async (payload: { key: string }, ctx: JobContext): Promise<void> => {
      if (delayMs > 0) await sleep(delayMs);
      await app.app
        .get(DataSource)
        .query(`INSERT INTO test_job_run (queue, key, instance, attempt) VALUES ($1, $2, $3, $4)`, [
          ctx.queue,
          payload.key,
          instance,
          ctx.attempt,
        ]);
    };

  const runsOf = (queue: string): Promise<Run[]> =>
    db.query(`SELECT * FROM test_job_run WHERE queue = $1 ORDER BY ran_at`, [queue]);

  const exceptionsOf = async (type: string): Promise<Record<string, unknown>[]> => {
    const res = await fetch(`${hub.baseUrl}/v1/ops/exceptions?type=${encodeURIComponent(type)}`, {
      headers: bearer(opsKey),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Record<string, unknown>[] }).items;
  };

  it('reports itself running and ready', async () => {
    expect(jobs.isRunning()).toBe(true);
    const res = await fetch(`${hub.baseUrl}/health/ready`);
    const body = (await res.json()) as { details: Record<string, Record<string, unknown>> };
    expect(body.details.jobs).toMatchObject({ status: 'up', state: 'running' });
  });

  it('runs a job enqueued in a committed transaction once, and never one whose transaction rolled back', async () => {
    const queue = queueName('tx');
    jobs.register({
      name: queue,
      handler: recorder(hub, 'a'),
      pollingIntervalSeconds: 0.5,
    });

    let rolledBackId: string | null = null;
    await expect(
      db.transaction(async (manager) => {
        rolledBackId = await jobs.enqueue(queue, { key: 'rolled-back' }, { manager });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const committedId = await db.transaction((manager) =>
      jobs.enqueue(queue, { key: 'committed' }, { manager }),
    );
    expect(rolledBackId).toEqual(expect.any(String));
    expect(committedId).toEqual(expect.any(String));

    await waitFor('the committed job to run', async () =>
      (await runsOf(queue)).length > 0 ? true : undefined,
    );
    await sleep(1500); // several polling rounds: a rolled-back or duplicate run would show now
    const runs = await runsOf(queue);
    expect(runs.map((r) => r.key)).toEqual(['committed']);
    const rows: unknown[] = await db.query(
      `SELECT id FROM pgboss.job WHERE name = $1 AND id = $2`,
      [queue, rolledBackId],
    );
    expect(rows).toHaveLength(0);
  });

  it('runs each of 50 jobs exactly once with two instances working the same queue', async () => {
    const queue = queueName('two-instances');
    const second = await startTestApp();
    try {
      jobs.register({ name: queue, handler: recorder(hub, 'a', 60), pollingIntervalSeconds: 0.5 });
      second.app
        .get(JobsService)
        .register({ name: queue, handler: recorder(second, 'b', 60), pollingIntervalSeconds: 0.5 });

      const keys = Array.from({ length: 50 }, (_, i) => `job-${i}`);
      await db.transaction(async (manager) => {
        for (const key of keys) await jobs.enqueue(queue, { key }, { manager });
      });

      await waitFor('all 50 jobs to run', async () =>
        (await runsOf(queue)).length >= 50 ? true : undefined,
      );
      await sleep(1500);
      const runs = await runsOf(queue);
      expect(runs).toHaveLength(50);
      expect(new Set(runs.map((r) => r.key))).toEqual(new Set(keys));
      expect(runs.every((r) => r.attempt === 1)).toBe(true);
      // Both instances took part (each runs 2 at a time; one alone would need ~1.5s).
      expect(new Set(runs.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
    } finally {
      await second.close();
    }
  });

  it('retries a failing job with growing delays, then records it in the exception queue with attempts and correlation id', async () => {
    const queue = queueName('always-fails');
    const type = `test.erp-posting-failed.${randomUUID().slice(0, 8)}`;
    const record = recorder(hub, 'a');
    jobs.register<{ key: string }>({
      name: queue,
      exceptionType: type,
      retryLimit: 2,
      retryDelaySeconds: 1,
      pollingIntervalSeconds: 0.5,
      reference: (payload) => `ref-${payload.key}`,
      handler: async (payload, ctx) => {
        await record(payload, ctx);
        throw new Error(`ERP unavailable (attempt ${ctx.attempt})`);
      },
    });
    const correlationId = `corr-${randomUUID()}`;
    const jobId = await CorrelationContext.run({ correlationId, origin: 'http' }, () =>
      jobs.enqueue(queue, { key: 'SO-1' }),
    );

    const [exception] = await waitFor('the exception record', async () => {
      const items = await exceptionsOf(type);
      return items.length > 0 ? items : undefined;
    });
    const runs = await runsOf(queue);
    expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
    // Exponential backoff with jitter: retry n waits 1s × 2^(n-1) to twice that (plus polling).
    const gaps = runs.slice(1).map((r, i) => r.ran_at.getTime() - runs[i]!.ran_at.getTime());
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);

    expect(exception).toMatchObject({
      type,
      status: 'open',
      source: queue,
      reference: 'ref-SO-1',
      payload: { key: 'SO-1' },
      error: { name: 'Error', message: 'ERP unavailable (attempt 3)' },
      attempts: 3,
      correlationId,
    });
    expect(JSON.stringify(exception)).not.toContain('at '); // no stack trace
    expect(Date.parse(exception!.firstFailedAt as string)).toBeLessThan(
      Date.parse(exception!.lastFailedAt as string),
    );
    expect(Date.parse(exception!.lastFailedAt as string) - runs[2]!.ran_at.getTime()).toBeLessThan(
      5000,
    );
    expect(jobId).toEqual(expect.any(String));
  });

  it('sends a job that throws PermanentJobError straight to the exception queue', async () => {
    const queue = queueName('permanent');
    const type = `test.rejected.${randomUUID().slice(0, 8)}`;
    const record = recorder(hub, 'a');
    jobs.register<{ key: string }>({
      name: queue,
      exceptionType: type,
      retryLimit: 5,
      retryDelaySeconds: 1,
      pollingIntervalSeconds: 0.5,
      handler: async (payload, ctx) => {
        await record(payload, ctx);
        ctx.setReference('SO-42');
        throw new PermanentJobError('ERP rejected the order: unknown customer', {
          code: 'ERP_REJECTED',
        });
      },
    });
    await jobs.enqueue(queue, { key: 'SO-42' });

    const [exception] = await waitFor('the exception record', async () => {
      const items = await exceptionsOf(type);
      return items.length > 0 ? items : undefined;
    });
    expect(exception).toMatchObject({
      source: queue,
      reference: 'SO-42',
      attempts: 1,
      error: {
        name: 'PermanentJobError',
        message: 'ERP rejected the order: unknown customer',
        code: 'ERP_REJECTED',
      },
    });
    await sleep(2500); // longer than the first retry delay: a retry would have run by now
    expect((await runsOf(queue)).map((r) => r.attempt)).toEqual([1]);

    const res = await fetch(`${hub.baseUrl}/v1/ops/exceptions/${exception!.id as string}`, {
      headers: bearer(opsKey),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(exception);
  });

  it('records a job whose instance died mid-run once pg-boss fails it by expiry', async () => {
    const queue = queueName('crashed');
    const type = `test.crashed.${randomUUID().slice(0, 8)}`;
    jobs.register({
      name: queue,
      exceptionType: type,
      retryLimit: 0,
      expireInSeconds: 1,
      handler: () => Promise.reject(new Error('this instance never gets the job')),
    });
    // Far in the future for this app's workers; the "crashing" instance below takes it anyway.
    const correlationId = `corr-${randomUUID()}`;
    const jobId = await CorrelationContext.run({ correlationId, origin: 'http' }, () =>
      jobs.enqueue(queue, { key: 'SO-7' }, { startAfter: 3600 }),
    );
    const crashed = new PgBoss({
      connectionString: hub.config.database.url,
      migrate: false,
      supervise: false,
      schedule: false,
    });
    crashed.on('error', () => undefined);
    await crashed.start();
    try {
      const [taken] = await crashed.fetch(queue, { ignoreStartAfter: true });
      expect(taken?.id).toBe(jobId);
      await sleep(1500); // past expireInSeconds, and the instance never completes it
      await crashed.expire(); // what pg-boss maintenance does on any instance
    } finally {
      await crashed.stop({ graceful: false, wait: true });
    }

    const [exception] = await waitFor('the exception record', async () => {
      const items = await exceptionsOf(type);
      return items.length > 0 ? items : undefined;
    });
    expect(exception).toMatchObject({
      source: queue,
      reference: jobId,
      payload: { key: 'SO-7' },
      attempts: 1,
      correlationId,
      error: { message: 'job failed by timeout in active state' },
    });
  });

  it('logs every line of a job with the correlation id of the context that enqueued it', async () => {
    const queue = queueName('logs');
    jobs.register({
      name: queue,
      pollingIntervalSeconds: 0.5,
      handler: (_payload: unknown, ctx) => {
        ctx.logger.info({ step: 'posting' }, 'hello from the job');
        return Promise.resolve();
      },
    });
    const correlationId = `corr-${randomUUID()}`;
    const jobId = await CorrelationContext.run({ correlationId, origin: 'http' }, () =>
      jobs.enqueue(queue, {}),
    );

    const lines = await waitFor('the job to log its completion', () => {
      const mine = hub.logs.filter((l) => l.job === queue);
      return Promise.resolve(mine.some((l) => l.msg === 'job completed') ? mine : undefined);
    });
    expect(lines.map((l) => l.msg)).toEqual(['job started', 'hello from the job', 'job completed']);
    for (const line of lines) {
      expect(line).toMatchObject({ correlationId, job: queue, jobId, attempt: 1 });
    }
    expect(lines[2]).toMatchObject({ durationMs: expect.any(Number) });
  });

  it('refuses to enqueue a job nobody registered', async () => {
    await expect(jobs.enqueue('test.nobody-registered-this', {})).rejects.toThrow(
      /No job named "test.nobody-registered-this"/,
    );
  });
});
