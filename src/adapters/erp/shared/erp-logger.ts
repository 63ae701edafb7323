/** What the ERP adapters log through: a pino logger or the platform's PinoLogger both fit. */
export interface ErpLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** For adapters built outside Nest (contract tests, benchmarks) that need no log. */
export const SILENT_ERP_LOGGER: ErpLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A message for logs and health details without driver internals (no host, no credentials). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} ${code}: ${error.message}` : error.message;
  }
  return String(error);
}
