import pg from 'pg';
import { startCloudErpSandbox } from '../../src/erp-simulators/cloud/index.js';
import { freePort } from '../support/free-port.js';
import { startTestApp, type TestApp, testDatabaseUrl } from '../support/test-app.js';
import { cloudErpEnv, MANUAL_SYNC_ENV, syncMasterData } from './erp-adapter-test-support.js';

interface HealthBody {
  status: string;
  details: Record<string, { status: string; [key: string]: unknown }>;
}

type Readiness = { status: number; body: HealthBody };

async function ready(hub: TestApp): Promise<Readiness> {
  const res = await fetch(`${hub.baseUrl}/health/ready`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

/**
 * Polls readiness until `expected` holds (bounded). Each check has a time budget (the database
 * ping 1 s): on a loaded machine one poll may miss it and answer 503 for that reason alone, which
 * says nothing about the ERP. The answer asserted is the first that shows the expected state.
 */
async function readyWhen(
  hub: TestApp,
  expected: (r: Readiness) => boolean,
  timeoutMs = 30_000,
): Promise<Readiness> {
  const started = Date.now();
  for (;;) {
    const r = await ready(hub);
    if (expected(r) || Date.now() - started > timeoutMs) return r;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('ERP adapter readiness and metrics', () => {
  let hub: TestApp | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('reports the cloud ERP up, then down (503) once it cannot be reached, without secrets', async () => {
    const sandbox = await startCloudErpSandbox({ scale: 0.05 });
    hub = await startTestApp({ ...MANUAL_SYNC_ENV, ...cloudErpEnv(sandbox) });
    try {
      const up = await readyWhen(hub, (r) => r.status === 200);
      expect(up.status).toBe(200);
      expect(up.body.details.erp).toMatchObject({ status: 'up', adapter: 'cloud' });
    } finally {
      await sandbox.close();
    }

    const down = await readyWhen(
      hub,
      (r) => r.body.details.erp?.status === 'down' && r.body.details.database?.status === 'up',
    );
    expect(down.status).toBe(503);
    expect(down.body.details.erp).toMatchObject({ status: 'down', adapter: 'cloud' });
    expect(down.body.details.database).toMatchObject({ status: 'up' });
    expect(JSON.stringify(down.body)).not.toContain(sandbox.clientSecret);
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('counts cloud ERP requests by status in erp_requests_total', async () => {
    const sandbox = await startCloudErpSandbox({ scale: 0.05 });
    try {
      hub = await startTestApp({
        ...MANUAL_SYNC_ENV,
        ...cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }),
      });
      const run = await syncMasterData(hub);
      expect(run.status).toBe('succeeded');
      const metrics = await (await fetch(`${hub.baseUrl}/metrics`)).text();
      const ok = /erp_requests_total\{adapter="cloud",status="200"\} (\d+)/.exec(metrics);
      expect(Number(ok?.[1])).toBeGreaterThan(3);
    } finally {
      await sandbox.close();
    }
  });

  it('reports the on-prem ERP database up with the demo default', async () => {
    hub = await startTestApp({ ...MANUAL_SYNC_ENV, ERP_ADAPTER: 'onprem' });
    const { status, body } = await readyWhen(hub, (r) => r.status === 200);
    expect(status).toBe(200);
    expect(body.details.erp).toMatchObject({ status: 'up', adapter: 'onprem' });
  });

  it('starts with a real on-prem ERP that is down, reports it, and never creates its database', async () => {
    const test = new URL(testDatabaseUrl());
    const missing = new URL(test);
    missing.pathname = `${test.pathname}_erp_not_there`;
    hub = await startTestApp({
      ...MANUAL_SYNC_ENV,
      ERP_ADAPTER: 'onprem',
      ERP_ONPREM_DATABASE_URL: missing.toString(),
    });
    const { status, body } = await ready(hub);
    expect(status).toBe(503);
    expect(body.details.erp).toMatchObject({ status: 'down', adapter: 'onprem' });

    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        missing.pathname.slice(1),
      ]);
      expect(found.rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('reports an unreachable on-prem ERP server down (503) instead of waiting on it', async () => {
    hub = await startTestApp({
      ...MANUAL_SYNC_ENV,
      ERP_ADAPTER: 'onprem',
      ERP_ONPREM_DATABASE_URL: `postgres://erp@127.0.0.1:${await freePort()}/erp`,
    });
    const { status, body } = await ready(hub);
    expect(status).toBe(503);
    // Refused at once by the adapter's own check, not cut off by the readiness time budget.
    expect(body.details.erp).toMatchObject({
      status: 'down',
      adapter: 'onprem',
      reason: expect.any(String),
    });
    expect(body.details.erp.message).toBeUndefined();
  });
});
