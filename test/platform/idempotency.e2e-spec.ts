import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { RequireScopes } from '../../src/platform/auth/index.js';
import { ApplicationError } from '../../src/platform/errors/index.js';
import {
  IDEMPOTENCY_CLEANUP_JOB,
  IdempotencyStore,
  Idempotent,
} from '../../src/platform/idempotency/index.js';
import { JobsService } from '../../src/platform/jobs/index.js';
import { createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

class CreateWidgetRequest {
  @IsString()
  name: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5000)
  delayMs?: number;

  @IsOptional()
  @IsIn(['reject', 'crash'])
  fail?: 'reject' | 'crash';
}

/** A test-only mutating route: records every execution so the tests can count them. */
@Controller('v1/test-widgets')
class TestWidgetsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('orders:write')
  @Idempotent()
  @ApiOperation({ summary: 'test only' })
  async create(
    @Body() body: CreateWidgetRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: number; name: string }> {
    if (body.delayMs) await new Promise((r) => setTimeout(r, body.delayMs));
    if (body.fail === 'reject') {
      throw new ApplicationError('WIDGET_REJECTED', 'rejected on purpose', 'unprocessable');
    }
    if (body.fail === 'crash') throw new Error('boom');
    const rows: { id: number }[] = await this.db.query(
      'INSERT INTO test_widget (name) VALUES ($1) RETURNING id',
      [body.name],
    );
    void reply.header('location', `/v1/test-widgets/${rows[0].id}`);
    return { id: rows[0].id, name: body.name };
  }
}

describe('Idempotency-Key on mutating channel routes', () => {
  let hub: TestApp;
  let apiKey: string;
  let otherKey: string;
  let db: DataSource;

  const post = (body: unknown, headers: Record<string, string> = {}, key = apiKey) =>
    fetch(`${hub.baseUrl}/v1/test-widgets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const executions = async (name: string): Promise<number> => {
    const rows: { n: string }[] = await db.query(
      'SELECT count(*) AS n FROM test_widget WHERE name = $1',
      [name],
    );
    return Number(rows[0].n);
  };

  beforeAll(async () => {
    hub = await startTestApp({}, { controllers: [TestWidgetsController] });
    db = hub.app.get(DataSource);
    await db.query('CREATE TABLE IF NOT EXISTS test_widget (id serial PRIMARY KEY, name text)');
    apiKey = (await createTestChannel(hub.app, { scopes: ['orders:write'] })).apiKey;
    otherKey = (await createTestChannel(hub.app, { scopes: ['orders:write'] })).apiKey;
  });
  afterAll(async () => {
    await hub.close();
  });

  it('rejects a mutating request without Idempotency-Key with 400', async () => {
    const res = await post({ name: 'no-key' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING' });
    expect(await executions('no-key')).toBe(0);
  });

  it('rejects an over-long key with 400', async () => {
    const res = await post({ name: 'long-key' }, { 'idempotency-key': 'k'.repeat(256) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
  });

  it('replays the stored status, headers and body for the same key and body', async () => {
    const first = await post({ name: 'replay' }, { 'idempotency-key': 'k-replay' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.json();

    // Same JSON with keys in another order is the same request.
    const second = await fetch(`${hub.baseUrl}/v1/test-widgets`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': 'k-replay',
      },
      body: '{ "name" : "replay" }',
    });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await second.json()).toEqual(firstBody);
    expect(await executions('replay')).toBe(1);
  });

  it('answers 422 when the same key comes with a different body', async () => {
    expect((await post({ name: 'fp-a' }, { 'idempotency-key': 'k-fp' })).status).toBe(201);
    const res = await post({ name: 'fp-b' }, { 'idempotency-key': 'k-fp' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await executions('fp-b')).toBe(0);
  });

  it('answers 409 while the first request with the key is still in flight', async () => {
    const slow = post({ name: 'inflight', delayMs: 800 }, { 'idempotency-key': 'k-inflight' });
    await new Promise((r) => setTimeout(r, 200));
    const second = await post(
      { name: 'inflight', delayMs: 800 },
      { 'idempotency-key': 'k-inflight' },
    );
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect((await slow).status).toBe(201);
    expect(await executions('inflight')).toBe(1);
  });

  it('executes a truly concurrent pair with the same key exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        post({ name: 'race', delayMs: 100 }, { 'idempotency-key': 'k-race' }),
      ),
    );
    const outcomes = results.map((r) =>
      r.status === 201 && r.headers.get('idempotent-replayed') === 'true' ? 'replay' : r.status,
    );
    // One request runs; the others either find it in flight (409) or replay its answer.
    expect(outcomes.filter((o) => o === 201)).toHaveLength(1);
    expect(outcomes.every((o) => o === 201 || o === 409 || o === 'replay')).toBe(true);
    expect(outcomes.filter((o) => o === 409).length).toBeGreaterThan(0);
    expect(await executions('race')).toBe(1);
  });

  it('scopes keys per channel: another channel may use the same key', async () => {
    expect((await post({ name: 'scoped-a' }, { 'idempotency-key': 'k-shared' })).status).toBe(201);
    const other = await post({ name: 'scoped-b' }, { 'idempotency-key': 'k-shared' }, otherKey);
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await executions('scoped-b')).toBe(1);
  });

  it('stores a business rejection and replays it for the same key', async () => {
    const first = await post({ name: 'rej', fail: 'reject' }, { 'idempotency-key': 'k-rej' });
    expect(first.status).toBe(422);
    const second = await post({ name: 'rej', fail: 'reject' }, { 'idempotency-key': 'k-rej' });
    expect(second.status).toBe(422);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await second.json()).toMatchObject({ code: 'WIDGET_REJECTED' });
  });

  it('frees the key after an internal error so the retry runs again', async () => {
    const first = await post({ name: 'crash', fail: 'crash' }, { 'idempotency-key': 'k-crash' });
    expect(first.status).toBe(500);
    const retry = await post({ name: 'crash', fail: 'crash' }, { 'idempotency-key': 'k-crash' });
    expect(retry.status).toBe(500);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('lets a retry take over a key whose first attempt died mid-flight (lease expired)', async () => {
    const res = await post({ name: 'takeover' }, { 'idempotency-key': 'k-takeover' });
    expect(res.status).toBe(201);
    // Simulate an instance that crashed while holding a different key.
    await db.query(
      `UPDATE idempotency_record SET state = 'in_flight', response_status = NULL,
              locked_until = now() - interval '1 second'
        WHERE idempotency_key = 'k-takeover'`,
    );
    const retry = await post({ name: 'takeover' }, { 'idempotency-key': 'k-takeover' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('purges records past their retention', async () => {
    await post({ name: 'old' }, { 'idempotency-key': 'k-old' });
    await db.query(
      `UPDATE idempotency_record SET expires_at = now() - interval '1 minute' WHERE idempotency_key = 'k-old'`,
    );
    // Through the scheduled cleanup job, as it runs in production.
    await hub.app.get(JobsService).enqueue(IDEMPOTENCY_CLEANUP_JOB, {});
    for (let i = 0; i < 50; i++) {
      const rows: unknown[] = await db.query(
        `SELECT 1 FROM idempotency_record WHERE idempotency_key = 'k-old'`,
      );
      if (rows.length === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await hub.app.get(IdempotencyStore).purgeExpired()).toBe(0);
    const left: unknown[] = await db.query(
      `SELECT 1 FROM idempotency_record WHERE idempotency_key = 'k-old'`,
    );
    expect(left).toHaveLength(0);
  });
});
