import type { FieldValue } from './field-state.js';

export const PROPOSAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
export const PROPOSAL_ENTITIES = ['customer', 'ship-to'] as const;
export type ProposalEntity = (typeof PROPOSAL_ENTITIES)[number];

/** A change the matrix sent to a data steward instead of applying it. */
export interface StewardshipProposal {
  id: string;
  entity: ProposalEntity;
  customerErpId: string;
  /** Set for a ship-to proposal: the ship-to it adds or changes. */
  shipToCode: string | null;
  /** Field → proposed value, already checked and normalised. */
  changes: Record<string, FieldValue>;
  sourceSystem: string;
  channelId: string | null;
  sourceUpdatedAt: Date;
  status: ProposalStatus;
  reason: string | null;
  decidedBy: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  correlationId: string | null;
}
