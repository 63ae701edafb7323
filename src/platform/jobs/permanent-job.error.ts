/**
 * Thrown by a job handler when retrying cannot help (the ERP rejected the document, the payload
 * refers to something that no longer exists): the job skips its remaining retries and goes
 * straight to the exception queue.
 */
export class PermanentJobError extends Error {
  readonly code?: string;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'PermanentJobError';
    if (options.code !== undefined) this.code = options.code;
  }
}
