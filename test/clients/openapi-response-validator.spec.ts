import { OpenApiResponseValidator } from '../support/openapi-response-validator.js';

const problem = {
  type: '/problems/order-not-found',
  title: 'Not Found',
  status: 404,
  detail: 'No order has id x.',
  code: 'ORDER_NOT_FOUND',
  correlationId: 'c-1',
};

describe(OpenApiResponseValidator.name, () => {
  const sut = new OpenApiResponseValidator();
  const answer = (over: Partial<Parameters<OpenApiResponseValidator['check']>[0]>) => ({
    method: 'GET',
    url: '/v1/orders/5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d',
    status: 404,
    contentType: 'application/problem+json; charset=utf-8',
    body: problem as unknown,
    ...over,
  });

  it('matches a URL to its path template, literal segments before parameters', () => {
    expect(sut.templateOf('/v1/orders/abc?x=1')).toBe('/v1/orders/{id}');
    expect(sut.templateOf('/v1/admin/sync/runs')).toBe('/v1/admin/sync/runs');
    expect(sut.templateOf('/v1/inventory/availability:query')).toBe(
      '/v1/inventory/availability:query',
    );
    expect(sut.templateOf('/nowhere')).toBeUndefined();
  });

  it('accepts a problem document as the route documents it', () => {
    expect(sut.check(answer({}))).toEqual([]);
  });

  it('reports a body that misses a required member or has one of the wrong type', () => {
    const { code: _code, ...noCode } = problem;
    expect(sut.check(answer({ body: noCode })).join()).toMatch(
      /must have required property 'code'/,
    );
    expect(sut.check(answer({ body: { ...problem, status: '404' } })).join()).toMatch(
      /body\/status must be integer/,
    );
  });

  it('reports an undocumented status and an undeclared content type', () => {
    expect(sut.check(answer({ status: 418 }))).toEqual([
      'GET /v1/orders/{id} → 418: status not documented',
    ]);
    expect(sut.check(answer({ contentType: 'text/plain' })).join()).toMatch(
      /content type text\/plain not in application\/problem\+json/,
    );
  });

  it('takes OpenAPI nullable as JSON Schema null, also beside a $ref (nullable allOf)', () => {
    const page = (shipTo: unknown) =>
      sut.check({
        method: 'GET',
        url: '/v1/orders',
        status: 200,
        contentType: 'application/json',
        body: { items: [{ shipTo }], nextCursor: null },
      });
    // shipTo is `allOf: [OrderShipToResponse], nullable`: null passes that member, a number fails it.
    expect(page(null).join()).not.toMatch(/shipTo/);
    expect(page(7).join()).toMatch(/items\/0\/shipTo/);
  });
});
