import { Injectable, Logger } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ReadinessRegistry, type ReadinessCheck } from './readiness.registry.js';

/** Monitors poll every few seconds: a check slower than this counts as down. */
export const DATABASE_PING_TIMEOUT_MS = 1000;
export const MIGRATIONS_TIMEOUT_MS = 2000;
export const REGISTERED_CHECK_TIMEOUT_MS = 3000;

/**
 * What `/health/ready` checks: the database answers, every migration is applied, and every check
 * registered in ReadinessRegistry (jobs, the ERP adapter) is up. Results use terminus' standard
 * shape; failure messages are generic because the endpoint is public (details go to the log).
 */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger(ReadinessService.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly registry: ReadinessRegistry,
  ) {}

  /** Resolves when everything is up; rejects with terminus' ServiceUnavailableException if not. */
  check(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [
      () => this.database(),
      () => this.migrations(),
      ...this.registry.entries().map(
        ([name, check]) =>
          () =>
            this.registered(name, check),
      ),
    ];
    return this.health.check(checks);
  }

  private database(): PromiseLike<HealthIndicatorResult> {
    return this.indicators
      .check('database')
      .attempt(async () => {
        try {
          await this.dataSource.query('SELECT 1');
        } catch (error) {
          this.logger.warn(`readiness: database ping failed: ${describe(error)}`);
          throw new Error('database unreachable');
        }
      })
      .withTimeout(DATABASE_PING_TIMEOUT_MS);
  }

  private migrations(): PromiseLike<HealthIndicatorResult> {
    return this.indicators
      .check('migrations')
      .attempt(async () => {
        let pending: boolean;
        try {
          pending = await this.dataSource.showMigrations();
        } catch (error) {
          this.logger.warn(`readiness: migration status unknown: ${describe(error)}`);
          throw new Error('migration status unknown');
        }
        if (pending) throw new Error('migrations pending');
      })
      .withTimeout(MIGRATIONS_TIMEOUT_MS);
  }

  private async registered(name: string, check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(name);
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), REGISTERED_CHECK_TIMEOUT_MS);
    });
    try {
      const result = await Promise.race([check(), timeout]);
      if (result === 'timeout') {
        const message = `timeout of ${REGISTERED_CHECK_TIMEOUT_MS}ms exceeded`;
        this.logger.warn(`readiness: check ${name}: ${message}`);
        return session.down({ message, responseTime: elapsed() });
      }
      // `status` is terminus' own key: a check's details may not overwrite it.
      const { status: _status, ...details } = result.details ?? {};
      const data = { ...details, responseTime: elapsed() };
      return result.up ? session.up(data) : session.down(data);
    } catch (error) {
      this.logger.warn(`readiness: check ${name} threw: ${describe(error)}`);
      return session.down({ message: 'check failed', responseTime: elapsed() });
    } finally {
      clearTimeout(timer);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
