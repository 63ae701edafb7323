/** Failures the order domain refuses with; each carries a stable code. */
export class IllegalOrderTransitionError extends Error {
  override readonly name = 'IllegalOrderTransitionError';
  readonly code = 'ORDER.ILLEGAL_TRANSITION';

  constructor(
    readonly orderId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`Order ${orderId} cannot go from ${from} to ${to}.`);
  }
}
