import { invalidCursorError } from '../cursor/index.js';
import { ApplicationError } from '../errors/index.js';

/** Expected failures of starting a delta sync, each with its stable problem code. */
export const DeltaSyncErrors = {
  alreadyRunning: (sync: string, runningRunId: string | null): ApplicationError =>
    new ApplicationError(
      'SYNC_ALREADY_RUNNING',
      `A ${sync} sync is already running; wait for it to finish.`,
      'conflict',
      { extensions: runningRunId ? { runningRunId } : {} },
    ),

  shuttingDown: (): ApplicationError =>
    new ApplicationError(
      'SHUTTING_DOWN',
      'This instance is shutting down; trigger the sync again on another instance.',
      'unavailable',
    ),

  runNotFound: (sync: string, id: string): ApplicationError =>
    new ApplicationError('SYNC_RUN_NOT_FOUND', `No ${sync} sync run has id ${id}.`, 'not-found'),

  invalidCursor: invalidCursorError,
};
