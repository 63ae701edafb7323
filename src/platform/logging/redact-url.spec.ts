import { problemInstance } from '../problem/problem.filter.js';
import { redactUrl } from './logging.module.js';

describe(redactUrl.name, () => {
  it('redacts the values of credential-like query names and keeps the rest', () => {
    expect(
      redactUrl(
        '/v1/orders?api_key=ck_1&status=ON_HOLD&apiKey=ck_2&key=ck_3&access_token=t&limit=5',
      ),
    ).toBe(
      '/v1/orders?api_key=[redacted]&status=ON_HOLD&apiKey=[redacted]&key=[redacted]&access_token=[redacted]&limit=5',
    );
  });

  it('judges percent-encoded names decoded, and leaves a URL without a query alone', () => {
    expect(redactUrl('/v1/x?api%5Fkey=ck_1')).toBe('/v1/x?api%5Fkey=[redacted]');
    expect(redactUrl('/v1/orders/123')).toBe('/v1/orders/123');
  });
});

describe(problemInstance.name, () => {
  it('is the path only, never the query string', () => {
    expect(problemInstance('/v1/channels/me?api_key=ck_1')).toBe('/v1/channels/me');
    expect(problemInstance('/v1/orders')).toBe('/v1/orders');
  });

  it('is left out for an absent or over-long path', () => {
    expect(problemInstance(undefined)).toBeUndefined();
    expect(problemInstance(`/v1/${'a'.repeat(2000)}`)).toBeUndefined();
  });
});
