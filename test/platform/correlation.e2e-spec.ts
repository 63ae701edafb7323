import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { PinoLogger } from '../../src/platform/logging/index.js';
import { CorrelationContext } from '../../src/platform/correlation/index.js';
import { Public } from '../../src/platform/auth/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A test-only route whose service code logs and reads the ambient correlation id. */
@Controller('v1/echo')
@Public()
class EchoController {
  constructor(private readonly logger: PinoLogger) {}

  @Get()
  @ApiOperation({ summary: 'test only' })
  async echo(): Promise<{ correlationId: string | undefined }> {
    await new Promise((r) => setTimeout(r, 5));
    this.logger.info('handling echo');
    return { correlationId: CorrelationContext.current() };
  }
}

describe('correlation ids', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startTestApp({}, { controllers: [EchoController] });
  });
  afterAll(async () => {
    await hub.close();
  });

  it('echoes a valid X-Correlation-Id on the response', async () => {
    const res = await fetch(`${hub.baseUrl}/v1/nowhere`, {
      headers: { 'x-correlation-id': 'shop-order-42.retry:1' },
    });
    expect(res.headers.get('x-correlation-id')).toBe('shop-order-42.retry:1');
    expect(((await res.json()) as { correlationId: string }).correlationId).toBe(
      'shop-order-42.retry:1',
    );
  });

  it('generates one when the caller sends none', async () => {
    const res = await fetch(`${hub.baseUrl}/v1/nowhere`);
    expect(res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces an unsafe or over-long id instead of echoing it', async () => {
    for (const bad of ['x'.repeat(129), 'has spaces', '<script>', 'a\\b']) {
      const res = await fetch(`${hub.baseUrl}/v1/nowhere`, {
        headers: { 'x-correlation-id': bad },
      });
      const echoed = res.headers.get('x-correlation-id');
      expect(echoed).not.toBe(bad);
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('makes the id available to code further down the request (for jobs and ERP calls)', async () => {
    const res = await fetch(`${hub.baseUrl}/v1/echo`, {
      headers: { 'x-correlation-id': 'ambient-7' },
    });
    expect(await res.json()).toEqual({ correlationId: 'ambient-7' });
  });

  it('puts the correlation id on the log lines of the request and redacts credentials', async () => {
    await fetch(`${hub.baseUrl}/v1/echo`, {
      headers: {
        'x-correlation-id': 'trace-logs-1',
        authorization: 'Bearer cdk_secret_should_not_appear',
        'x-api-key': 'cdk_other_secret',
      },
    });
    await new Promise((r) => setTimeout(r, 100));
    const lines = hub.logs.filter((l) => JSON.stringify(l).includes('trace-logs-1'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.correlationId === 'trace-logs-1')).toBe(true);
    expect(lines.some((l) => l.msg === 'handling echo')).toBe(true);
    expect(lines.some((l) => l.msg === 'request completed')).toBe(true);
    expect(JSON.stringify(hub.logs)).not.toContain('cdk_secret_should_not_appear');
    expect(JSON.stringify(hub.logs)).not.toContain('cdk_other_secret');
  });
});
