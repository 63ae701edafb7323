import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { PinoLogger } from '../../../../../platform/logging/index.js';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../../../config/index.js';
import { InventoryService } from '../../../../inventory/index.js';
import {
  type JobContext,
  JobsService,
  PermanentJobError,
} from '../../../../../platform/jobs/index.js';
import type { SegmentStatus } from '../../../domain/order.js';
import type { Order } from '../../../domain/order.aggregate.js';
import { IllegalOrderTransitionError } from '../../../domain/order.errors.js';
import { type LockedSegment, OrderStore } from '../../../infrastructure/order.store.js';
import { OrdersMetrics } from '../../orders.metrics.js';
import {
  type ErpOrderStatus,
  type ErpSalesOrderDocument,
  SalesOrderGateway,
  SalesOrderNotCancellableError,
  SalesOrderRejectedError,
} from '../../ports/sales-order.gateway.js';

export const POST_SEGMENT_JOB = 'orders.post-segment';
export const CANCEL_SEGMENT_JOB = 'orders.cancel-segment';
export const POSTING_FAILED_EXCEPTION = 'orders.erp-posting-failed';
export const CANCEL_FAILED_EXCEPTION = 'orders.erp-cancel-failed';

export interface PostSegmentPayload {
  orderId: string;
  segmentId: string;
  /**
   * The ERP document to send: as captured, or corrected by operations on replay. Its
   * externalReference must be the segment's: the reference is what makes posting exactly-once.
   * Absent (a later check of a queued import): the segment's stored document.
   */
  document?: ErpSalesOrderDocument;
}

export interface CancelSegmentPayload {
  orderId: string;
  segmentId: string;
}

/** How long a posting waits for a row lock another posting (or a cancel) holds. */
const LOCK_TIMEOUT = '15s';
/** How long an attempt waits for another attempt's posting lease before it fails (and retries). */
const LEASE_WAIT_MS = 15_000;
const LEASE_POLL_MS = 200;
/** How soon a cancel looks again at a segment whose posting is in flight. */
const CANCEL_LEASE_POLL_MS = 2_000;
const DONE: readonly SegmentStatus[] = ['POSTED', 'CANCELLED', 'CANCEL_REQUESTED'];

interface Claim {
  kind: 'claimed';
  segment: LockedSegment;
  document: ErpSalesOrderDocument;
  leaseId: string;
}

type Outcome =
  | { kind: 'done' }
  | { kind: 'rejected'; error: SalesOrderRejectedError }
  | { kind: 'timed-out'; waitedSeconds: number };

/**
 * ERP posting, one job per segment, exactly once:
 * - an attempt claims the segment's posting lease (lease_id, lease_expires_at) in a short
 *   transaction, so two jobs for one segment (a replay next to a retry, two instances) post one
 *   after the other; the second finds it done. No database lock is held while the ERP answers;
 * - `SalesOrderGateway.submit()` looks the external reference up before it creates, so an
 *   attempt whose answer was lost (timeout, dropped connection, crash) is repeated safely;
 * - the ERP's answer and the segment's new status commit together, guarded by the lease; a
 *   crash before that commit leaves a lease that expires with the posting timeout, and the next
 *   attempt finds the document by its reference;
 * - a cancel waits for a lease in flight (its job looks again shortly) rather than cancel in
 *   the ERP an order whose creation may still land there.
 * A document the ERP queued for its own import job (on-prem) is checked again later by a new
 * job; one it rejects goes to the exception queue, where operations correct and replay it.
 */
@Injectable()
export class OrderPostingJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly store: OrderStore,
    private readonly inventory: InventoryService,
    private readonly metrics: OrdersMetrics,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    @Optional() private readonly gateway?: SalesOrderGateway,
  ) {
    this.logger.setContext(OrderPostingJobs.name);
  }

  onModuleInit(): void {
    const orders = this.config.orders;
    this.jobs.register<PostSegmentPayload>({
      name: POST_SEGMENT_JOB,
      handler: (payload, ctx) => this.post(payload, ctx),
      retryLimit: orders.postingRetryLimit,
      retryDelaySeconds: orders.postingRetryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: orders.postingTimeoutSeconds,
      concurrency: orders.postingConcurrency,
      exceptionType: POSTING_FAILED_EXCEPTION,
      reference: (p) => p.segmentId,
      validateReplayPayload: validatePostPayload,
    });
    this.jobs.register<CancelSegmentPayload>({
      name: CANCEL_SEGMENT_JOB,
      handler: (payload, ctx) => this.cancel(payload, ctx),
      retryLimit: orders.postingRetryLimit,
      retryDelaySeconds: orders.postingRetryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: orders.postingTimeoutSeconds,
      concurrency: Math.max(1, Math.floor(orders.postingConcurrency / 2)),
      exceptionType: CANCEL_FAILED_EXCEPTION,
      reference: (p) => p.segmentId,
    });
  }

  private requireGateway(): SalesOrderGateway {
    if (!this.gateway) throw new Error('No ERP adapter is bound: the order cannot be posted yet');
    return this.gateway;
  }

  async post(payload: PostSegmentPayload, ctx: JobContext): Promise<void> {
    const gateway = this.requireGateway();
    ctx.setReference(payload.segmentId);
    // Shown as POSTING from the first attempt. A statement of its own: inside the attempt's
    // transaction it would hold the order row through the ERP call, and the order's other
    // segments (posted by other jobs) need that row to record their outcome.
    await this.store.markPosting(payload.orderId, ctx.correlationId, { attempt: ctx.attempt });
    let outcome: Outcome;
    try {
      const claim = await this.claim(payload, ctx);
      outcome = claim.kind === 'claimed' ? await this.attempt(gateway, claim, ctx) : claim;
    } catch (error) {
      if (ctx.attempt >= ctx.maxAttempts && !(error instanceof PermanentJobError)) {
        await this.markFailedAfterRetries(payload.segmentId, error, ctx);
      }
      throw error;
    }
    if (outcome.kind === 'rejected') {
      throw new PermanentJobError(outcome.error.message, { code: outcome.error.code });
    }
    if (outcome.kind === 'timed-out') {
      throw new PermanentJobError(
        `The ERP did not import the order within ${outcome.waitedSeconds} s; check its import queue.`,
        { code: 'ERP_IMPORT_TIMEOUT' },
      );
    }
  }

  /**
   * Claims the segment's posting lease in a short transaction of its own (checks included), so
   * that two attempts for one segment (a replay next to a retry, two instances) post one after
   * the other: the second waits while the first holds the lease, then finds the segment done.
   * A lease held past LEASE_WAIT_MS fails this attempt (retried later); one left behind by a
   * crashed attempt ends at its expiry (the posting timeout).
   */
  private async claim(
    payload: PostSegmentPayload,
    ctx: JobContext,
  ): Promise<{ kind: 'done' } | Claim> {
    const waitUntil = Date.now() + LEASE_WAIT_MS;
    for (;;) {
      const result = await this.store.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
        const segment = await this.store.lockSegment(manager, payload.segmentId);
        if (!segment) {
          throw new PermanentJobError(`Order segment ${payload.segmentId} does not exist`, {
            code: 'SEGMENT_NOT_FOUND',
          });
        }
        ctx.setReference(segment.externalReference);
        if (DONE.includes(segment.status) || segment.orderStatus === 'CANCELLED') {
          this.logger.info(
            { segment: segment.externalReference, status: segment.status },
            'segment needs no posting',
          );
          return { kind: 'done' } as const;
        }
        if (segment.status === 'HELD') {
          this.logger.info({ segment: segment.externalReference }, 'segment on hold: not posted');
          return { kind: 'done' } as const;
        }
        let document = segment.document;
        if (payload.document) {
          if (payload.document.externalReference !== segment.externalReference) {
            throw new PermanentJobError(
              `The corrected document must keep externalReference ${segment.externalReference}`,
              { code: 'EXTERNAL_REFERENCE_CHANGED' },
            );
          }
          document = payload.document;
        }
        const leaseId = await this.store.claimLease(
          manager,
          segment.id,
          this.config.orders.postingTimeoutSeconds,
        );
        if (leaseId === null) return { kind: 'leased' } as const;
        return { kind: 'claimed', segment, document, leaseId } as const;
      });
      if (result.kind !== 'leased') return result;
      if (Date.now() > waitUntil) {
        throw new Error(
          `Order segment ${payload.segmentId} is being posted by another attempt; retried later`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
    }
  }

  /**
   * Calls the ERP under the lease, outside any transaction, then records its answer in a new
   * transaction guarded by the lease. An error gives the lease back at once (the retry claims
   * it without waiting for its expiry).
   */
  private async attempt(
    gateway: SalesOrderGateway,
    claim: Claim,
    ctx: JobContext,
  ): Promise<Outcome> {
    const { segment, document, leaseId } = claim;
    let result: ErpOrderStatus & { created: boolean };
    try {
      result = await this.submitOrCheck(gateway, segment, document);
    } catch (error) {
      if (error instanceof SalesOrderRejectedError) {
        this.metrics.postingAttempt(gateway.name, 'rejected');
        return this.record(segment.id, leaseId, null, async (manager, current) => {
          await this.markFailed(manager, current, error.reasons, document, ctx);
          return { kind: 'rejected', error };
        });
      }
      this.metrics.postingAttempt(gateway.name, 'error');
      await this.store
        .transaction((manager) => this.store.releaseLease(manager, segment.id, leaseId))
        .catch((failure: unknown) =>
          this.logger.warn({ err: failure }, 'could not give the posting lease back'),
        );
      throw error;
    }
    try {
      return await this.record(
        segment.id,
        leaseId,
        result.state === 'CREATED' ? result.erpOrderNumber : null,
        (manager, current) =>
          this.applyResult(manager, current, document, result, ctx, gateway.name),
      );
    } catch (error) {
      // Recording failed (a deadlock, the database gone): its rollback kept the lease. Give it
      // back so the retry can claim at once; it finds the ERP's document by its reference.
      await this.store
        .transaction((manager) => this.store.releaseLease(manager, segment.id, leaseId))
        .catch((failure: unknown) =>
          this.logger.warn({ err: failure }, 'could not give the posting lease back'),
        );
      throw error;
    }
  }

  /**
   * Records an ERP answer: the segment locked again (briefly), the lease checked and ended in
   * the same transaction. A lease that is no longer ours expired during a very slow call and
   * another attempt claimed it: that attempt finds the ERP's order by its reference and records
   * it, so this answer is dropped. A segment cancelled while the ERP answered keeps its cancel
   * (its cancel job waited for the lease); only the ERP's order number is kept for that job.
   */
  private record(
    segmentId: string,
    leaseId: string,
    erpOrderNumber: string | null,
    write: (manager: EntityManager, segment: LockedSegment) => Promise<Outcome>,
  ): Promise<Outcome> {
    return this.store.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      const segment = await this.store.lockSegment(manager, segmentId);
      if (!segment || !(await this.store.releaseLease(manager, segmentId, leaseId))) {
        this.logger.warn(
          { segmentId },
          'posting lease lost during the ERP call: the attempt holding it records the outcome',
        );
        return { kind: 'done' };
      }
      if (segment.status === 'CANCEL_REQUESTED' || segment.status === 'CANCELLED') {
        if (erpOrderNumber !== null) {
          await this.store.updateSegment(manager, segmentId, {
            status: segment.status,
            erpOrderNumber,
          });
        }
        this.logger.info(
          { segment: segment.externalReference, erpOrderNumber },
          'segment cancelled while the ERP answered its posting: the cancel goes ahead',
        );
        return { kind: 'done' };
      }
      return write(manager, segment);
    });
  }

  /**
   * A segment already SUBMITTED is waiting for the ERP's own import job: it is only read back.
   * Submitting again would replace an import the ERP rejected and queue the same document again
   * (contract rule 3), forever, and the rejection would never reach the exception queue. A
   * segment not yet submitted, or FAILED and replayed by operations, is submitted.
   */
  private async submitOrCheck(
    gateway: SalesOrderGateway,
    segment: LockedSegment,
    document: ErpSalesOrderDocument,
  ): Promise<ErpOrderStatus & { created: boolean }> {
    if (segment.status === 'SUBMITTED') {
      const status = await gateway.status(segment.externalReference);
      // The staged document is gone (never committed, or removed in the ERP): stage it again.
      if (status.state !== 'NOT_FOUND') return { ...status, created: false };
    }
    return gateway.submit(document);
  }

  private async applyResult(
    manager: EntityManager,
    segment: LockedSegment,
    document: ErpSalesOrderDocument,
    result: ErpOrderStatus & { created: boolean },
    ctx: JobContext,
    adapter: string,
  ): Promise<Outcome> {
    const ref = segment.externalReference;
    if (!result.created && result.state !== 'NOT_FOUND' && segment.status !== 'SUBMITTED') {
      // The ERP already had it: an earlier attempt created it and its answer never arrived.
      this.metrics.duplicatePrevented('erp_lookup');
    }
    switch (result.state) {
      case 'CREATED': {
        this.metrics.postingAttempt(adapter, result.created ? 'created' : 'found');
        await this.store.updateSegment(manager, segment.id, {
          status: 'POSTED',
          erpOrderNumber: result.erpOrderNumber,
          erpErrors: [],
          document,
          attempt: true,
          posted: true,
        });
        // Segments of one order are posted by separate jobs, each in its own transaction: the
        // order row lock (taken by transition) makes the last one to finish see every other's
        // committed outcome; the aggregate decides whether the order is POSTED now.
        this.logger.info(
          { segment: ref, erpOrderNumber: result.erpOrderNumber, created: result.created },
          'segment posted to the ERP',
        );
        const posted = await this.transition(manager, segment.orderId, async (order) => {
          const statuses = await this.store.segmentStatuses(manager, segment.orderId);
          return order.segmentPosted(statuses.map((s) => s === 'POSTED'));
        });
        if (posted) {
          await this.store.history(
            manager,
            segment.orderId,
            'POSTED',
            { erpOrderNumber: result.erpOrderNumber },
            ctx.correlationId,
          );
          // The ERP now holds the stock for the order: reserved moves to allocated.
          await this.inventory.confirmErpAllocation(segment.orderId, { manager });
          this.metrics.posted(adapter, segment.orderCreatedAt);
        }
        return { kind: 'done' };
      }
      case 'PENDING': {
        this.metrics.postingAttempt(adapter, 'pending');
        const waited = segment.submittedAt
          ? (Date.now() - segment.submittedAt.getTime()) / 1000
          : 0;
        if (waited > this.config.orders.erpImportMaxWaitSeconds) {
          await this.store.updateSegment(manager, segment.id, {
            status: 'FAILED',
            erpErrors: ['The ERP did not import the order in time'],
          });
          await this.transition(manager, segment.orderId, (order) => order.fail());
          return { kind: 'timed-out', waitedSeconds: Math.round(waited) };
        }
        await this.store.updateSegment(manager, segment.id, {
          status: 'SUBMITTED',
          document,
          attempt: segment.status !== 'SUBMITTED',
          submitted: true,
        });
        // Look again later, as a new job: waiting for the ERP's import is not a failure. The
        // document travels with it, so a rejection's exception record holds what to correct.
        await this.jobs.enqueue<PostSegmentPayload>(
          POST_SEGMENT_JOB,
          { orderId: segment.orderId, segmentId: segment.id, document },
          { manager, startAfter: this.config.orders.erpImportPollSeconds },
        );
        return { kind: 'done' };
      }
      case 'REJECTED': {
        this.metrics.postingAttempt(adapter, 'rejected');
        await this.markFailed(manager, segment, result.errors, document, ctx);
        return { kind: 'rejected', error: new SalesOrderRejectedError(ref, result.errors) };
      }
      case 'CANCELLED': {
        // Cancelled in the ERP by someone there: the hub records it, nothing is re-created.
        await this.store.updateSegment(manager, segment.id, { status: 'CANCELLED' });
        this.logger.warn({ segment: ref }, 'the ERP order was cancelled in the ERP');
        return { kind: 'done' };
      }
      case 'NOT_FOUND':
        throw new Error(`The ERP answered NOT_FOUND right after submitting ${ref}`);
    }
  }

  /**
   * Locks the order row, lets the Order aggregate decide (`change` answers whether the status
   * changed) and writes the change. A change the aggregate refuses is logged and skipped: the
   * segment's ERP outcome, recorded in the same transaction, must be kept whatever the order's
   * status says (dropping it would post the segment again).
   */
  private async transition(
    manager: EntityManager,
    orderId: string,
    change: (order: Order) => boolean | Promise<boolean>,
  ): Promise<boolean> {
    const order = await this.store.lockForTransition(manager, orderId);
    if (!order) return false;
    try {
      if (!(await change(order))) return false;
    } catch (error) {
      if (!(error instanceof IllegalOrderTransitionError)) throw error;
      this.logger.error({ orderId, err: error }, 'order status change refused by the aggregate');
      return false;
    }
    await this.store.saveStatus(manager, order);
    return true;
  }

  private async markFailed(
    manager: EntityManager,
    segment: LockedSegment,
    errors: string[],
    document: ErpSalesOrderDocument,
    ctx: JobContext,
  ): Promise<void> {
    await this.store.updateSegment(manager, segment.id, {
      status: 'FAILED',
      erpErrors: errors,
      document,
      attempt: true,
    });
    await this.transition(manager, segment.orderId, (order) => order.fail());
    await this.store.history(
      manager,
      segment.orderId,
      'FAILED',
      { segment: segment.externalReference, errors },
      ctx.correlationId,
    );
    this.logger.warn(
      { segment: segment.externalReference, errors },
      'the ERP rejected the order segment; it goes to the exception queue',
    );
  }

  private async markFailedAfterRetries(
    segmentId: string,
    error: unknown,
    ctx: JobContext,
  ): Promise<void> {
    try {
      await this.store.transaction(async (manager) => {
        const segment = await this.store.lockSegment(manager, segmentId);
        if (!segment || DONE.includes(segment.status)) return;
        // Another attempt is posting it right now: its outcome decides, not this one's failure.
        if (await this.store.activeLease(manager, segmentId)) return;
        const message = error instanceof Error ? error.message : String(error);
        await this.store.updateSegment(manager, segmentId, {
          status: 'FAILED',
          erpErrors: [`Gave up after ${ctx.attempt} attempts: ${message}`],
        });
        await this.transition(manager, segment.orderId, (order) => order.fail());
        await this.store.history(
          manager,
          segment.orderId,
          'FAILED',
          { segment: segment.externalReference, attempts: ctx.attempt, error: message },
          ctx.correlationId,
        );
      });
    } catch (failure) {
      this.logger.error({ err: failure }, 'could not mark the segment FAILED');
    }
  }

  async cancel(payload: CancelSegmentPayload, ctx: JobContext): Promise<void> {
    const gateway = this.requireGateway();
    ctx.setReference(payload.segmentId);
    const outcome = await this.store.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      const segment = await this.store.lockSegment(manager, payload.segmentId);
      if (!segment || segment.status === 'CANCELLED') return null;
      ctx.setReference(segment.externalReference);
      const leasedUntil = await this.store.activeLease(manager, segment.id);
      if (leasedUntil) {
        // A posting is talking to the ERP: cancelling now could come before its create lands
        // there. Look again shortly (the posting keeps the cancel when it records its answer).
        const wait = Math.min(leasedUntil.getTime() - Date.now(), CANCEL_LEASE_POLL_MS);
        await this.jobs.enqueue<CancelSegmentPayload>(CANCEL_SEGMENT_JOB, payload, {
          manager,
          startAfter: new Date(Date.now() + Math.max(wait, 0) + 100),
        });
        this.logger.info(
          { segment: segment.externalReference },
          'segment posting in flight: its cancel looks again shortly',
        );
        return null;
      }
      const warehouse = segment.document.warehouseCode;
      let result: ErpOrderStatus;
      try {
        result = await gateway.cancel(segment.externalReference);
      } catch (error) {
        if (error instanceof SalesOrderNotCancellableError) return { refused: error, warehouse };
        throw error;
      }
      // The ERP's allocation ends now: the stock the hub already gave back stops offsetting
      // the ERP's figure once a sync has read the ERP since.
      if (warehouse !== null) {
        await this.inventory.settleErpRelease(
          segment.orderId,
          warehouse,
          { cancelledAt: new Date() },
          { manager },
        );
      }
      await this.store.updateSegment(manager, segment.id, { status: 'CANCELLED' });
      await this.store.history(
        manager,
        segment.orderId,
        'CANCELLED',
        {
          segment: segment.externalReference,
          erp: result.state,
          erpOrderNumber: result.erpOrderNumber,
        },
        ctx.correlationId,
      );
      this.logger.info(
        { segment: segment.externalReference, erp: result.state },
        'segment cancelled in the ERP',
      );
      return null;
    });
    if (outcome) {
      // The ERP keeps (and ships) the order: its allocation figures are right, so the stock the
      // hub gave back at cancel stops offsetting them; operations see the refusal.
      if (outcome.warehouse !== null) {
        await this.inventory.settleErpRelease(payload.orderId, outcome.warehouse, 'refused');
      }
      throw new PermanentJobError(outcome.refused.message, { code: outcome.refused.code });
    }
  }
}

/** A corrected posting payload, checked before operations can replay it. */
export function validatePostPayload(payload: unknown, original?: unknown): string[] {
  const problems: string[] = [];
  if (typeof payload !== 'object' || payload === null) return ['payload must be an object'];
  const p = payload as Record<string, unknown>;
  const was = (original ?? {}) as Record<string, unknown>;
  if (typeof p.orderId !== 'string') problems.push('orderId: required');
  else if (typeof was.orderId === 'string' && p.orderId !== was.orderId)
    problems.push(`orderId: must be ${was.orderId}, the order of the failed posting`);
  if (typeof p.segmentId !== 'string') problems.push('segmentId: required');
  if (p.document !== undefined) {
    const d = p.document as Record<string, unknown> | null;
    if (typeof d !== 'object' || d === null) problems.push('document: must be an object');
    else {
      if (typeof d.externalReference !== 'string')
        problems.push('document.externalReference: required');
      if (typeof d.customerNo !== 'string' || d.customerNo === '')
        problems.push('document.customerNo: required');
      if (!Array.isArray(d.lines) || d.lines.length === 0)
        problems.push('document.lines: at least one line');
      else {
        (d.lines as unknown[]).forEach((line, i) => {
          const l = line as Record<string, unknown> | null;
          if (typeof l !== 'object' || l === null) problems.push(`document.lines[${i}]: object`);
          else {
            for (const key of ['sku', 'uom', 'quantity', 'unitPrice']) {
              if (typeof l[key] !== 'string' || l[key] === '')
                problems.push(`document.lines[${i}].${key}: required string`);
            }
          }
        });
      }
    }
  }
  return problems;
}
