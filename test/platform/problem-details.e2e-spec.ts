import { startTestApp, type TestApp } from '../support/test-app.js';

describe('problem+json answers', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startTestApp({ BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(async () => {
    await hub.close();
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await fetch(`${hub.baseUrl}/v1/does-not-exist`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, code: 'NOT_FOUND', type: '/problems/not-found' });
    expect(body.correlationId).toBe(res.headers.get('x-correlation-id'));
  });
});
