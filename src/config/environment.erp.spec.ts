import { ConfigValidationError, erpOnPremDatabase, loadConfig } from './environment.js';

describe('ERP adapter configuration', () => {
  it('defaults to BC online limits and the demo on-prem ERP database next to the hub database', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/hub' });
    expect(config.cloudErp).toMatchObject({
      baseUrl: null,
      rateLimitPer5Minutes: 6000,
      maxConcurrent: 5,
      syncConcurrency: 8,
      timeoutMs: 30_000,
      scope: 'https://api.businesscentral.dynamics.com/.default',
    });
    expect(erpOnPremDatabase(config)).toEqual({
      url: 'postgres://u:p@db:5432/hub_erp',
      demo: true,
    });
  });

  it('uses ERP_ONPREM_DATABASE_URL as a real ERP (not the demo)', () => {
    const config = loadConfig({ ERP_ONPREM_DATABASE_URL: 'postgres://erp@erp-host/erp' });
    expect(erpOnPremDatabase(config)).toEqual({ url: 'postgres://erp@erp-host/erp', demo: false });
  });

  it('has no on-prem ERP database before the embedded hub database is known', () => {
    expect(erpOnPremDatabase(loadConfig({}))).toBeNull();
  });

  it('lists every missing credential of a configured cloud ERP', () => {
    let error: unknown;
    try {
      loadConfig({
        ERP_ADAPTER: 'cloud',
        CLOUD_ERP_BASE_URL: 'https://bc.example.com/v2.0/t/prod',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems.map((p) => p.variable).sort()).toEqual([
      'CLOUD_ERP_CLIENT_ID',
      'CLOUD_ERP_CLIENT_SECRET',
      'CLOUD_ERP_TOKEN_URL',
    ]);
  });

  it('accepts ERP_ADAPTER=cloud without a base URL (the demo sandbox) and validates limits', () => {
    expect(loadConfig({ ERP_ADAPTER: 'cloud' }).cloudErp.baseUrl).toBeNull();
    expect(() => loadConfig({ CLOUD_ERP_MAX_CONCURRENT: '0' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ CLOUD_ERP_SYNC_CONCURRENCY: '0' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ CLOUD_ERP_SYNC_CONCURRENCY: 'many' })).toThrow(ConfigValidationError);
    expect(loadConfig({ CLOUD_ERP_SYNC_CONCURRENCY: '12' }).cloudErp.syncConcurrency).toBe(12);
    expect(() => loadConfig({ CLOUD_ERP_COMPANY_ID: 'acme' })).toThrow(/GUID/);
  });

  it('turns BC webhooks on only with a public URL and a client state, and polls for changes by default', () => {
    expect(loadConfig({}).erpChanges).toEqual({ pollSeconds: 10, debounceMs: 1000 });
    expect(loadConfig({ NODE_ENV: 'test' }).erpChanges.pollSeconds).toBeNull();
    expect(loadConfig({ ERP_CHANGE_POLL_SECONDS: '0' }).erpChanges.pollSeconds).toBeNull();
    expect(loadConfig({ HUB_PUBLIC_URL: 'https://hub.example.com/' }).cloudErp.webhooks).toBeNull();
    expect(
      loadConfig({
        HUB_PUBLIC_URL: 'https://hub.example.com/',
        CLOUD_ERP_WEBHOOK_CLIENT_STATE: 'a-secret-of-sixteen-chars',
      }).cloudErp.webhooks,
    ).toEqual({ publicUrl: 'https://hub.example.com', clientState: 'a-secret-of-sixteen-chars' });
    expect(() => loadConfig({ CLOUD_ERP_WEBHOOK_CLIENT_STATE: 'short' })).toThrow(
      ConfigValidationError,
    );
    expect(() => loadConfig({ HUB_PUBLIC_URL: 'hub.example.com' })).toThrow(ConfigValidationError);
  });
});
