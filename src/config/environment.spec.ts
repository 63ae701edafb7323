import { ConfigValidationError, loadConfig } from './environment.js';

describe(loadConfig.name, () => {
  it('gives working defaults for an empty environment (embedded database, demo seed)', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.embedded).toBe(true);
    expect(config.demoSeed).toBe(true);
    expect(config.erpAdapter).toBe('onprem');
    expect(config.idempotencyRetentionHours).toBe(72);
  });

  it('never seeds demo keys against an existing database', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@h/db', DEMO_SEED: 'true' });
    expect(config.demoSeed).toBe(false);
    expect(config.database.embedded).toBe(false);
  });

  it('opens metrics and readiness details by default outside production only', () => {
    expect(loadConfig({}).monitoring).toEqual({ metricsPublic: true, healthDetails: true });
    expect(loadConfig({ NODE_ENV: 'test' }).monitoring).toEqual({
      metricsPublic: true,
      healthDetails: true,
    });
    expect(loadConfig({ NODE_ENV: 'production' }).monitoring).toEqual({
      metricsPublic: false,
      healthDetails: false,
    });
    expect(
      loadConfig({ NODE_ENV: 'production', METRICS_PUBLIC: 'true', HEALTH_DETAILS: 'true' })
        .monitoring,
    ).toEqual({ metricsPublic: true, healthDetails: true });
  });

  it('refuses a METRICS_PUBLIC or HEALTH_DETAILS that is not a boolean', () => {
    expect(() => loadConfig({ METRICS_PUBLIC: 'maybe', HEALTH_DETAILS: 'yes please' })).toThrow(
      /METRICS_PUBLIC[\s\S]*HEALTH_DETAILS|HEALTH_DETAILS[\s\S]*METRICS_PUBLIC/,
    );
  });

  it('reports every bad variable at once, each with its reason', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        ERP_ADAPTER: 'sap',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['DATABASE_URL', 'ERP_ADAPTER', 'LOG_LEVEL', 'PORT']);
    expect((error as Error).message).toContain('ERP_ADAPTER');
    expect((error as Error).message).toContain('"sap"');
  });

  it('parses numbers, booleans and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      JOBS_ENABLED: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.port).toBe(8080);
    expect(config.jobsEnabled).toBe(false);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});
