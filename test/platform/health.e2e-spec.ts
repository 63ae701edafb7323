import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../src/platform/database/embedded-postgres.js';
import { freePort } from '../support/free-port.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface HealthBody {
  status: string;
  info?: Record<string, { status: string; message?: string }>;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string; message?: string }>;
}

describe('health probes', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startTestApp();
  });
  afterAll(async () => {
    await hub.close();
  });

  it('answers liveness with 200 and status ok, without an API key', async () => {
    const res = await fetch(`${hub.baseUrl}/health/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports ready when the database answers and every migration is applied', async () => {
    const res = await fetch(`${hub.baseUrl}/health/ready`);
    const body = (await res.json()) as HealthBody;
    expect(res.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.details.database).toMatchObject({ status: 'up' });
    expect(body.details.migrations).toMatchObject({ status: 'up' });
    expect(body.error).toEqual({});
  });
});

describe('readiness when the database goes away', () => {
  let dataDir: string;
  let embedded: EmbeddedPostgres;
  let hub: TestApp | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'crossdock-health-'));
    embedded = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'crossdock' });
    await embedded.start();
  });
  afterAll(async () => {
    await hub?.close();
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with the database check down once PostgreSQL stops, while liveness stays 200', async () => {
    hub = await startTestApp({ DATABASE_URL: embedded.url });
    const before = await fetch(`${hub.baseUrl}/health/ready`);
    expect(before.status).toBe(200);

    await embedded.stop();
    expect(embedded.running).toBe(false);

    const res = await fetch(`${hub.baseUrl}/health/ready`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as HealthBody;
    expect(body.status).toBe('error');
    expect(body.error?.database).toMatchObject({ status: 'down' });
    expect(body.details.database).toMatchObject({ status: 'down' });
    // Public endpoint: no driver message, host or port in the answer.
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);

    const live = await fetch(`${hub.baseUrl}/health/live`);
    expect(live.status).toBe(200);
  });
});
