import { startTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = 'scrape-token-0123456789abcdef';
const PROD = { NODE_ENV: 'production' };

/**
 * /metrics names channels and counts their orders; /health/ready names the database, the ERP
 * adapter and record counts. With NODE_ENV=production neither is shown to an anonymous caller
 * unless configuration opens it (for a private network).
 */
describe('monitoring endpoints in production', () => {
  describe('with the production defaults', () => {
    let hub: TestApp;
    beforeAll(async () => {
      hub = await startTestApp(PROD);
    });
    afterAll(async () => {
      await hub.close();
    });

    it('keeps /metrics off (404 problem) when no METRICS_TOKEN is set', async () => {
      const res = await fetch(`${hub.baseUrl}/metrics`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.text()).not.toMatch(/process_cpu|http_request_duration/);
    });

    it('answers /health/ready with its status only, no per-check details', async () => {
      const res = await fetch(`${hub.baseUrl}/health/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });
  });

  describe('with METRICS_TOKEN', () => {
    let hub: TestApp;
    beforeAll(async () => {
      hub = await startTestApp({ ...PROD, METRICS_TOKEN: TOKEN });
    });
    afterAll(async () => {
      await hub.close();
    });

    it('serves /metrics to the token only', async () => {
      expect((await fetch(`${hub.baseUrl}/metrics`)).status).toBe(401);
      const res = await fetch(`${hub.baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^process_resident_memory_bytes \d+/m);
    });

    it('shows the readiness details to the token and the status alone to anyone else', async () => {
      const anonymous = await fetch(`${hub.baseUrl}/health/ready`);
      expect(await anonymous.json()).toEqual({ status: 'ok' });
      const monitor = await fetch(`${hub.baseUrl}/health/ready`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await monitor.json()).toMatchObject({
        status: 'ok',
        details: { database: { status: 'up' }, migrations: { status: 'up' } },
      });
    });
  });

  describe('opened explicitly for a private network', () => {
    let hub: TestApp;
    beforeAll(async () => {
      hub = await startTestApp({ ...PROD, METRICS_PUBLIC: 'true', HEALTH_DETAILS: 'true' });
    });
    afterAll(async () => {
      await hub.close();
    });

    it('serves /metrics and the readiness details without a token', async () => {
      expect((await fetch(`${hub.baseUrl}/metrics`)).status).toBe(200);
      expect(await (await fetch(`${hub.baseUrl}/health/ready`)).json()).toMatchObject({
        details: { database: { status: 'up' } },
      });
    });
  });
});
