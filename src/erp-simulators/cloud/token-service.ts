import { randomBytes, randomUUID } from 'node:crypto';

export interface EntraError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
  };
}

export interface IssuedToken {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/**
 * The sandbox's Microsoft Entra ID stand-in: OAuth2 client-credentials tokens
 * (administration/automation-apis-using-s2s-authentication.md), opaque, expiring after ttl.
 */
export class TokenService {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(
    private readonly clients: Map<string, string>,
    private readonly ttlSeconds: () => number,
    private readonly now: () => number,
  ) {}

  issue(form: Record<string, unknown>): IssuedToken | EntraError {
    const grantType = String(form.grant_type ?? '');
    const clientId = String(form.client_id ?? '');
    const clientSecret = String(form.client_secret ?? '');
    const scope = String(form.scope ?? '');
    if (grantType !== 'client_credentials') {
      return entraError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
    }
    if (!scope) {
      return entraError(
        400,
        'invalid_request',
        90014,
        "The required field 'scope' is missing from the credential.",
      );
    }
    if (!scope.endsWith('/.default')) {
      return entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const expected = this.clients.get(clientId);
    if (expected === undefined) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory.`,
      );
    }
    if (clientSecret !== expected) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    }
    const ttl = this.ttlSeconds();
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + ttl * 1000 });
    this.prune();
    return { token_type: 'Bearer', expires_in: ttl, ext_expires_in: ttl, access_token: token };
  }

  /** The client id the bearer token was issued to, or why it is refused. */
  verify(authorization: string | undefined): { clientId: string } | { problem: string } {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { problem: 'The request has no bearer token.' };
    const token = this.tokens.get(match[1]);
    if (!token) return { problem: 'The bearer token is not valid.' };
    if (token.expiresAt <= this.now()) return { problem: 'The bearer token has expired.' };
    return { clientId: token.clientId };
  }

  private prune(): void {
    const now = this.now();
    for (const [token, t] of this.tokens) if (t.expiresAt <= now) this.tokens.delete(token);
  }
}

function entraError(status: number, error: string, code: number, description: string): EntraError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: correlationId,
    },
  };
}
