import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Prometheus metrics', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startTestApp();
  });
  afterAll(async () => {
    await hub.close();
  });

  it('exposes default process metrics in Prometheus text format', async () => {
    const res = await fetch(`${hub.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('times requests by route template, method and status code', async () => {
    expect((await fetch(`${hub.baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${hub.baseUrl}/v1/no-such-route/123`)).status).toBe(404);

    const text = await (await fetch(`${hub.baseUrl}/metrics`)).text();
    expect(text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/health\/live",status_code="200"\} [1-9]\d*$/m,
    );
    // Unmatched URLs share one label value: raw paths would grow the series without bound.
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} [1-9]\d*$/m,
    );
    expect(text).not.toContain('no-such-route');
  });
});

describe('Prometheus metrics behind METRICS_TOKEN', () => {
  const token = 'scrape-token-0123456789abcdef';
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startTestApp({ METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await hub.close();
  });

  it('refuses a scrape without the token with a 401 problem', async () => {
    const res = await fetch(`${hub.baseUrl}/metrics`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('refuses a wrong token', async () => {
    const res = await fetch(`${hub.baseUrl}/metrics`, {
      headers: { authorization: 'Bearer not-the-scrape-token-at-all' },
    });
    expect(res.status).toBe(401);
  });

  it('serves the exposition with the right bearer token', async () => {
    const res = await fetch(`${hub.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
