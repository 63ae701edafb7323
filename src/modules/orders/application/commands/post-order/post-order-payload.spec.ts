import { validatePostPayload } from './post-order.jobs.js';

describe(validatePostPayload.name, () => {
  const failed = { orderId: 'order-a', segmentId: 'segment-a' };

  it('refuses a corrected posting for another order than the failed one', () => {
    expect(validatePostPayload({ orderId: 'order-b', segmentId: 'segment-a' }, failed)).toEqual([
      'orderId: must be order-a, the order of the failed posting',
    ]);
  });

  it('accepts the ids of the failed posting', () => {
    expect(validatePostPayload({ ...failed }, failed)).toEqual([]);
  });
});
