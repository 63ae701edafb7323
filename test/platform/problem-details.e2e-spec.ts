import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { Public } from '../../src/platform/auth/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

class ProbeLine {
  @IsString()
  @IsNotEmpty()
  sku: string;

  @Matches(/^\d+(\.\d{1,4})?$/, { message: 'quantity must be a decimal string' })
  quantity: string;
}

class ProbeRequest {
  @IsString()
  @IsNotEmpty()
  customerId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ProbeLine)
  lines: ProbeLine[];
}

/** Test-only routes that exercise the global validation and error layers. */
@Controller('v1/probe')
@Public()
class ProbeController {
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'test only' })
  accept(@Body() body: ProbeRequest): { lines: number } {
    return { lines: body.lines.length };
  }

  @Get('crash')
  @ApiOperation({ summary: 'test only' })
  crash(): never {
    const error = new Error('duplicate key value violates unique constraint "secret_table_pkey"');
    throw error;
  }
}

describe('problem+json answers', () => {
  let hub: TestApp;
  const postRaw = (body: string, contentType = 'application/json') =>
    fetch(`${hub.baseUrl}/v1/probe`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  beforeAll(async () => {
    hub = await startTestApp({ BODY_LIMIT_BYTES: '2048' }, { controllers: [ProbeController] });
  });
  afterAll(async () => {
    await hub.close();
  });

  async function expectProblem(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code, type: expect.stringMatching(/^\/problems\//) });
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
    expect(body.correlationId).toBe(res.headers.get('x-correlation-id'));
    return body;
  }

  it('accepts a valid body', async () => {
    const res = await postRaw(
      JSON.stringify({ customerId: 'C1', lines: [{ sku: 'A', quantity: '1' }] }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ lines: 1 });
  });

  it('answers an unknown route with a 404 problem', async () => {
    await expectProblem(await fetch(`${hub.baseUrl}/v1/does-not-exist`), 404, 'NOT_FOUND');
  });

  it('lists every violation, with nested field paths, not just the first', async () => {
    const res = await postRaw(
      JSON.stringify({
        lines: [
          { sku: '', quantity: '1.5' },
          { sku: 'B', quantity: 'lots' },
        ],
      }),
    );
    const body = await expectProblem(res, 400, 'VALIDATION_FAILED');
    const violations = body.violations as { code: string; field: string; message: string }[];
    const fields = violations.map((v) => `${v.field}:${v.code}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        // A missing field is one violation, not every constraint it also fails (issue 12).
        'customerId:REQUIRED',
        'lines[0].sku:IS_NOT_EMPTY',
        'lines[1].quantity:MATCHES',
      ]),
    );
    expect(violations.every((v) => v.message.length > 0)).toBe(true);
  });

  it('reports a missing field as one REQUIRED violation and a value of the wrong kind only by its type', async () => {
    const fieldsOf = async (body: unknown) => {
      const problem = await expectProblem(
        await postRaw(JSON.stringify(body)),
        400,
        'VALIDATION_FAILED',
      );
      return (problem.violations as { code: string; field: string }[]).map(
        (v) => `${v.field}:${v.code}`,
      );
    };

    expect(await fieldsOf({ customerId: 'C1' })).toEqual(['lines:REQUIRED']);
    expect(await fieldsOf({ customerId: 'C1', lines: [{ quantity: '1' }] })).toEqual([
      'lines[0].sku:REQUIRED',
    ]);
    expect(await fieldsOf({ customerId: 'C1', lines: 'three' })).toEqual(['lines:IS_ARRAY']);
    expect(await fieldsOf({ customerId: null, lines: [{ sku: 'A', quantity: '1' }] })).toEqual([
      'customerId:REQUIRED',
    ]);
  });

  it('rejects unknown properties, naming each of them', async () => {
    const res = await postRaw(
      JSON.stringify({
        customerId: 'C1',
        discount: '99',
        lines: [{ sku: 'A', quantity: '1', price: '0.01' }],
      }),
    );
    const body = await expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'UNKNOWN_PROPERTY', field: 'discount' }),
        expect.objectContaining({ code: 'UNKNOWN_PROPERTY', field: 'lines[0].price' }),
      ]),
    );
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    await expectProblem(await postRaw('{"customerId": "C1", '), 400, 'MALFORMED_JSON');
  });

  it('answers a body over the configured limit with 413', async () => {
    const big = JSON.stringify({ customerId: 'x'.repeat(4096), lines: [] });
    await expectProblem(await postRaw(big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a non-JSON media type with 415', async () => {
    await expectProblem(await postRaw('customerId=C1', 'text/csv'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an internal error with 500 and no stack, no SQL, only the correlation id', async () => {
    const res = await fetch(`${hub.baseUrl}/v1/probe/crash`, {
      headers: { 'x-correlation-id': 'crash-123' },
    });
    const body = await expectProblem(res, 500, 'INTERNAL_ERROR');
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/secret_table|duplicate key|at .*\.ts|stack/i);
    expect(body.correlationId).toBe('crash-123');
    const logged = hub.logs.find((l) => l.msg === 'request failed');
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('secret_table_pkey');
  });
});
