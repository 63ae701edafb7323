export interface OAuthClientCredentialsConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** Refresh this long before the token's own expiry. */
  refreshMarginMs?: number;
  fetch?: typeof fetch;
}

/**
 * OAuth2 client-credentials token for the cloud ERP (Entra ID for Business Central): fetched on
 * first use, cached until shortly before expiry, one request in flight at a time.
 */
export class OAuthClientCredentials {
  private token?: { value: string; expiresAt: number };
  private pending?: Promise<string>;
  private readonly fetchImpl: typeof fetch;
  tokensIssued = 0;

  constructor(private readonly config: OAuthClientCredentialsConfig) {
    this.fetchImpl = config.fetch ?? fetch;
  }

  async get(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The ERP rejected the token (401): drop it so the next call fetches a new one. */
  invalidate(rejected: string): void {
    if (this.token?.value === rejected) this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      scope: this.config.scope,
    });
    const res = await this.fetchImpl(this.config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      throw new Error(`token endpoint answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    const json = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!json.access_token) throw new Error('token endpoint answered without access_token');
    const lifetimeMs = (json.expires_in ?? 3600) * 1000;
    const margin = Math.min(this.config.refreshMarginMs ?? 60_000, lifetimeMs / 2);
    this.token = { value: json.access_token, expiresAt: Date.now() + lifetimeMs - margin };
    this.tokensIssued++;
    return json.access_token;
  }
}
