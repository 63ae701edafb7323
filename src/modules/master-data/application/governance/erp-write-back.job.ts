import { Inject, Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type JobContext,
  JobsService,
  PermanentJobError,
} from '../../../../platform/jobs/index.js';
import type { CustomerFields } from '../../domain/customer-update.js';
import type { ShipTo } from '../../domain/customer.js';
import { MasterDataWriter } from '../ports/master-data.writer.js';

export const ERP_WRITE_BACK_JOB = 'master-data.write-to-erp';
export const ERP_WRITE_BACK_EXCEPTION = 'master-data.erp_write_failed';

export type ErpWriteBackPayload =
  | { kind: 'ship-to'; customerErpId: string; shipTo: ShipTo; requestId: string }
  | {
      kind: 'customer-fields';
      customerErpId: string;
      fields: Partial<CustomerFields>;
      requestId: string;
    };

/**
 * Writes accepted changes to data the ERP keeps too, as a durable job enqueued in the
 * transaction that accepted the change: it exists exactly when the change does, is retried with
 * backoff, and when it gives up the jobs dead-letter path records an exception
 * (`master-data.erp_write_failed`) for operations — a failed write is never a silent divergence.
 */
@Injectable()
export class ErpWriteBackJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    // Bound by ErpAdapterModule with the adapters; without one every write fails permanently
    // (into the exception queue) instead of being skipped.
    @Optional() @Inject(MasterDataWriter) private readonly writer: MasterDataWriter | null,
  ) {}

  onModuleInit(): void {
    this.jobs.register<ErpWriteBackPayload>({
      name: ERP_WRITE_BACK_JOB,
      handler: (payload, ctx) => this.write(payload, ctx),
      retryLimit: 8,
      retryDelaySeconds: 15,
      exceptionType: ERP_WRITE_BACK_EXCEPTION,
      reference: (payload) =>
        payload.kind === 'ship-to'
          ? `${payload.customerErpId}/${payload.shipTo.code}`
          : payload.customerErpId,
      validateReplayPayload: validateWriteBackPayload,
    });
  }

  /** Must run on the accepting transaction's manager. */
  async enqueue(manager: EntityManager, payload: ErpWriteBackPayload): Promise<void> {
    await this.jobs.enqueue(ERP_WRITE_BACK_JOB, payload, { manager });
  }

  private async write(payload: ErpWriteBackPayload, ctx: JobContext): Promise<void> {
    if (!this.writer) {
      throw new PermanentJobError(
        'no MasterDataWriter bound: the ERP adapter in use cannot write master data back, so this accepted change is not in the ERP',
        { code: 'ERP_WRITER_UNAVAILABLE' },
      );
    }
    if (payload.kind === 'ship-to') {
      await this.writer.writeShipTo({
        customerErpId: payload.customerErpId,
        shipTo: payload.shipTo,
        requestId: payload.requestId,
      });
    } else {
      await this.writer.writeCustomerFields({
        customerErpId: payload.customerErpId,
        fields: payload.fields,
        requestId: payload.requestId,
      });
    }
    ctx.logger.info(
      { kind: payload.kind, customerErpId: payload.customerErpId },
      'master-data change written to the ERP',
    );
  }
}

/**
 * A corrected write-back (e.g. a ship-to the ERP refused, fixed by a data steward) must be the
 * same kind of write for the same customer and request as the one that failed; the generic
 * reference check then pins the ship-to code.
 */
export function validateWriteBackPayload(payload: unknown, original: unknown): string[] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return ['payload must be an object'];
  }
  const p = payload as Record<string, unknown>;
  const was = (original ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['kind', 'customerErpId', 'requestId'] as const) {
    if (typeof p[key] !== 'string') problems.push(`${key}: required string`);
    else if (was[key] !== undefined && p[key] !== was[key]) {
      problems.push(`${key}: must be ${String(was[key])}, as in the failed write`);
    }
  }
  const allowed =
    p.kind === 'ship-to'
      ? ['kind', 'customerErpId', 'requestId', 'shipTo']
      : ['kind', 'customerErpId', 'requestId', 'fields'];
  for (const key of Object.keys(p)) {
    if (!allowed.includes(key)) problems.push(`${key}: not allowed`);
  }
  if (p.kind === 'ship-to') {
    const shipTo = p.shipTo as Record<string, unknown> | null | undefined;
    if (typeof shipTo !== 'object' || shipTo === null || Array.isArray(shipTo)) {
      problems.push('shipTo: required object');
    } else if (typeof shipTo.code !== 'string' || shipTo.code === '') {
      problems.push('shipTo.code: required string');
    }
  } else if (p.kind === 'customer-fields') {
    const fields = p.fields as Record<string, unknown> | null | undefined;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      problems.push('fields: required object');
    } else if (Object.keys(fields).length === 0) {
      problems.push('fields: at least one field');
    }
  } else if (typeof p.kind === 'string') {
    problems.push('kind: must be ship-to or customer-fields');
  }
  return problems;
}
