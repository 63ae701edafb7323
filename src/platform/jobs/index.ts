export * from './job-definition.js';
export * from './jobs.module.js';
export * from './jobs.options.js';
export {
  DEAD_LETTER_QUEUE,
  DEAD_LETTER_SWEEP_QUEUE,
  DEFAULT_EXCEPTION_TYPE,
  JOBS_SCHEMA,
  JobsService,
  type JobState,
} from './jobs.service.js';
export * from './permanent-job.error.js';
