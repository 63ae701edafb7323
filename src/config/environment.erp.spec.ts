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
});
