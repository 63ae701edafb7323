import { randomUUID } from 'node:crypto';
import { ExceptionsService } from '../../src/platform/exceptions/index.js';
import { IDEMPOTENCY_CLEANUP_JOB } from '../../src/platform/idempotency/index.js';
import { JobsService } from '../../src/platform/jobs/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('queue and dead-letter metrics', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startTestApp();
  });
  afterAll(async () => {
    await hub.close();
  });

  const scrape = async (): Promise<string> => (await fetch(`${hub.baseUrl}/metrics`)).text();
  const sample = (text: string, prefix: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(prefix));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };

  it('reports open exception records per type (the dead-letter depth)', async () => {
    const type = `test.metrics-${randomUUID().slice(0, 8)}`;
    const exceptions = hub.app.get(ExceptionsService);
    await exceptions.record({ type, source: 'test', error: { name: 'Error', message: 'x' } });
    await exceptions.record({ type, source: 'test', error: { name: 'Error', message: 'y' } });
    expect(sample(await scrape(), `crossdock_exceptions_open{type="${type}"}`)).toBe(2);
  });

  it('reports jobs waiting per queue', async () => {
    const before = sample(
      await scrape(),
      `crossdock_jobs{queue="${IDEMPOTENCY_CLEANUP_JOB}",state="created"}`,
    );
    await hub.app.get(JobsService).enqueue(IDEMPOTENCY_CLEANUP_JOB, {}, { startAfter: 3600 });
    const after = sample(
      await scrape(),
      `crossdock_jobs{queue="${IDEMPOTENCY_CLEANUP_JOB}",state="created"}`,
    );
    expect(after).toBe(before + 1);
  });
});
