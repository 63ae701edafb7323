import type { SchemaObject } from '@nestjs/swagger';

/** `/health/live`: the process is up. */
export interface LivenessResult {
  status: 'ok';
}

export const LIVENESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'], example: 'ok' } },
};

const indicatorsSchema = (description: string): SchemaObject => ({
  type: 'object',
  description,
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['up', 'degraded', 'down'] },
      responseTime: { type: 'integer', description: 'Time the check took, in milliseconds' },
      message: { type: 'string', description: 'Why the check is down' },
    },
    additionalProperties: true,
  },
});

/**
 * terminus' standard result shape (`@nestjs/terminus` HealthCheckResult); `status` alone when
 * details are not shown to this caller (HEALTH_DETAILS).
 */
export const READINESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'error', 'shutting_down'] },
    info: indicatorsSchema('The checks that are up (or degraded)'),
    error: indicatorsSchema('The checks that are down'),
    details: indicatorsSchema('Every check, by name'),
  },
};

const READY = {
  database: { status: 'up', responseTime: 2 },
  migrations: { status: 'up', responseTime: 4 },
  jobs: { status: 'up', responseTime: 0 },
} as const;

export const READY_EXAMPLE = { status: 'ok', info: READY, error: {}, details: READY };

const DATABASE_DOWN = {
  database: { status: 'down', message: 'database unreachable', responseTime: 3 },
  migrations: { status: 'down', message: 'migration status unknown', responseTime: 3 },
};

export const NOT_READY_EXAMPLE = {
  status: 'error',
  info: { jobs: READY.jobs },
  error: DATABASE_DOWN,
  details: { ...DATABASE_DOWN, jobs: READY.jobs },
};
