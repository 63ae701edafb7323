import type { CloudErpSandbox } from './cloud-erp-sandbox.js';

/** What a cloud ERP client needs to reach the sandbox (the shape CloudErpConnection takes). */
export interface SandboxCredentials {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  companyId: string;
}

/** The sandbox's URLs, client credentials and company, for a CloudErpConnection. */
export function sandboxCredentials(sandbox: CloudErpSandbox): SandboxCredentials {
  return {
    baseUrl: sandbox.url,
    tokenUrl: sandbox.tokenUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    scope: sandbox.scope,
    companyId: sandbox.companyId,
  };
}

/** The hub's environment for `ERP_ADAPTER=cloud` against the sandbox (CLOUD_ERP_* variables). */
export function sandboxHubEnv(sandbox: CloudErpSandbox): Record<string, string> {
  return {
    ERP_ADAPTER: 'cloud',
    CLOUD_ERP_BASE_URL: sandbox.url,
    CLOUD_ERP_TOKEN_URL: sandbox.tokenUrl,
    CLOUD_ERP_CLIENT_ID: sandbox.clientId,
    CLOUD_ERP_CLIENT_SECRET: sandbox.clientSecret,
    CLOUD_ERP_SCOPE: sandbox.scope,
    CLOUD_ERP_COMPANY_ID: sandbox.companyId,
  };
}
