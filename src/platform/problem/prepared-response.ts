/**
 * A complete response decided before the handler ran (e.g. an idempotent replay). Interceptors
 * throw it so the one exception layer sends it verbatim, with its own status and headers;
 * Nest would otherwise overwrite the status with the route's default.
 */
export class PreparedResponse extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {
    super('prepared response');
    this.name = 'PreparedResponse';
  }
}
