/**
 * An expected failure with a stable code (CONVENTIONS rule 4). The application layer returns or
 * throws these; the problem+json filter maps them to HTTP. No HTTP types leak into the domain.
 */
export interface Violation {
  code: string;
  field?: string;
  message: string;
}

export type ApplicationErrorKind =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'unprocessable'
  | 'unauthorized'
  | 'forbidden'
  | 'too-many-requests'
  | 'unavailable';

export interface ApplicationErrorOptions {
  violations?: Violation[];
  /** Extra members for the problem document (RFC 9457 §3.2 extension members). */
  extensions?: Record<string, unknown>;
  /** Response headers the failure implies, e.g. Retry-After or WWW-Authenticate. */
  headers?: Record<string, string>;
}

export class ApplicationError extends Error {
  readonly violations: Violation[];
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: string,
    message: string,
    readonly kind: ApplicationErrorKind,
    options: ApplicationErrorOptions = {},
  ) {
    super(message);
    this.name = 'ApplicationError';
    this.violations = options.violations ?? [];
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}
