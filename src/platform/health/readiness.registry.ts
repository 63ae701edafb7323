import { Injectable } from '@nestjs/common';

export interface ReadinessResult {
  up: boolean;
  /** Shown under the check's name in /health/ready; never secrets. */
  details?: Record<string, unknown>;
}

export type ReadinessCheck = () => Promise<ReadinessResult>;

/**
 * Where platform pieces and adapters hook their readiness into `/health/ready` (jobs: the queue
 * is running; ERP adapter: its port's healthCheck()). Register in onModuleInit.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }
}
