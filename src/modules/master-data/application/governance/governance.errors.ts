import { ApplicationError, type Violation } from '../../../../platform/errors/index.js';
import type { FieldOutcome } from '../../domain/customer-update.js';
import type { RecordProblem } from '../../../../platform/kernel/index.js';

/** Expected failures of governed master-data writes, each with its stable problem code. */
export const GovernanceErrors = {
  /** Every field sent was refused: nothing changed, nothing queued. */
  nothingAccepted: (outcomes: FieldOutcome[]): ApplicationError =>
    new ApplicationError(
      'FIELD_NOT_OWNED',
      'No field of this update may be changed by the calling system; see violations for the owner of each.',
      'unprocessable',
      {
        violations: outcomes.flatMap((o): Violation[] =>
          o.result === 'rejected' ? [{ code: o.code, field: o.field, message: o.message }] : [],
        ),
      },
    ),

  noFields: (): ApplicationError =>
    new ApplicationError('NO_FIELDS', 'The update names no field to change.', 'validation', {
      violations: [{ code: 'NO_FIELDS', message: 'send at least one field to change' }],
    }),

  invalidChange: (problems: RecordProblem[]): ApplicationError =>
    new ApplicationError(
      'MASTER_DATA_CHANGE_INVALID',
      'The change would leave the record invalid; nothing was changed.',
      'unprocessable',
      { violations: problems.map((p) => ({ code: p.code, field: p.field, message: p.message })) },
    ),

  proposalNotFound: (id: string): ApplicationError =>
    new ApplicationError(
      'PROPOSAL_NOT_FOUND',
      `No stewardship proposal has id ${id}.`,
      'not-found',
    ),

  proposalDecided: (id: string, status: string): ApplicationError =>
    new ApplicationError(
      'PROPOSAL_ALREADY_DECIDED',
      `Stewardship proposal ${id} is already ${status}.`,
      'conflict',
      { extensions: { proposalStatus: status } },
    ),
};
