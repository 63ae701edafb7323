import type { ArgumentMetadata } from '@nestjs/common';
import { CaptureOrderRequest } from '../../src/modules/orders/http/dto/capture-order.request.js';
import { CreateQuoteRequest } from '../../src/modules/pricing/http/dto/create-quote.request.js';
import { ApplicationError } from '../../src/platform/errors/index.js';
import { createValidationPipe } from '../../src/platform/problem/index.js';

/** Found by the API fuzz: `@ValidateNested` validates the elements of an array given for an object. */
describe('nested request objects given as arrays', () => {
  const pipe = createValidationPipe();
  const violations = async (metatype: ArgumentMetadata['metatype'], body: unknown) => {
    try {
      await pipe.transform(body, { type: 'body', metatype });
      return [];
    } catch (error) {
      if (!(error instanceof ApplicationError)) throw error;
      return error.violations.map((v) => `${v.field} ${v.code}`);
    }
  };
  const line = { sku: 'ABR-10015', quantity: '2', uom: 'BX' };

  it('refuses a quote line that is an array (400, not a quote with an empty line)', async () => {
    expect(await violations(CreateQuoteRequest, { customerId: 'C10001', lines: [line] })).toEqual(
      [],
    );
    expect(
      await violations(CreateQuoteRequest, { customerId: 'C10001', lines: [line, []] }),
    ).toContain('lines IS_OBJECT');
  });

  it('refuses an order line or a one-time address that is an array', async () => {
    const order = {
      channelOrderRef: 'WEB-1',
      customerId: 'C10001',
      lines: [{ ...line, lineRef: '1' }],
    };
    expect(await violations(CaptureOrderRequest, order)).toEqual([]);
    expect(
      await violations(CaptureOrderRequest, { ...order, lines: [...order.lines, [[]]] }),
    ).toContain('lines IS_OBJECT');
    expect(await violations(CaptureOrderRequest, { ...order, shipToAddress: [] })).toContain(
      'shipToAddress IS_OBJECT',
    );
  });
});
