import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/index.js';
import { InventoryService } from '../../inventory/index.js';
import { JobsService } from '../../../platform/jobs/index.js';
import { externalReferenceOf, type OrderAdjustment, type OrderLine } from '../domain/order.js';
import { decide, type OrderPolicy, type PolicyDecision } from '../domain/order-policy.js';
import type { OrderViolation } from '../domain/order-violation.js';
import { creditWithinLimit } from '../domain/rules/index.js';
import { type NewOrder, OrderStore } from '../infrastructure/order.store.js';
import { type DocumentHeader, erpDocumentOf } from './erp-document.js';
import type { OrderPlan, PlanningChannel } from './order-planner.js';
import {
  POST_SEGMENT_JOB,
  type PostSegmentPayload,
} from './commands/post-order/post-order.jobs.js';

export interface Placement {
  decision: PolicyDecision;
  /** Goes ahead (queued for posting), else held; the Order aggregate records which. */
  accepted: boolean;
  holds: OrderViolation[];
  adjustments: OrderAdjustment[];
  lines: OrderLine[];
  segments: NewOrder['segments'];
}

/**
 * The transactional half of capture and release: the credit check (serialised per credit
 * account), the policy decision, then — when the order is not rejected — segments with their ERP
 * documents, the stock reservation and the posting jobs, all on the caller's transaction.
 */
@Injectable()
export class OrderPlacement {
  constructor(
    private readonly store: OrderStore,
    private readonly inventory: InventoryService,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  /** Credit check + policy: every violation sorted into reject / hold / adjust. */
  async decide(
    manager: EntityManager,
    plan: OrderPlan,
    policy: OrderPolicy,
    options: { excludeOrderId?: string; ignoreHolds?: boolean } = {},
  ): Promise<PolicyDecision> {
    const violations = [...plan.violations];
    if (plan.credit && plan.lines.length > 0) {
      const open = await this.store.lockCreditAndSumOpen(
        manager,
        plan.credit.account,
        options.excludeOrderId,
      );
      violations.push(
        ...creditWithinLimit.check({
          account: plan.credit.account,
          creditLimit: plan.credit.creditLimit,
          balanceDue: plan.credit.balanceDue,
          openHubOrders: open,
          orderTotal: plan.total,
        }).violations,
      );
    }
    return decide(policy, violations);
  }

  /**
   * Builds what is stored for an accepted or held order, reserves its stock and (accepted)
   * enqueues one posting job per segment. Throws INSUFFICIENT_STOCK from the reservation when
   * stock moved since the plan was made (the caller plans again).
   */
  async place(
    manager: EntityManager,
    input: {
      orderId: string;
      orderNumber: string;
      header: DocumentHeader;
      plan: OrderPlan;
      decision: PolicyDecision;
      channel: PlanningChannel;
      /** Release: the holds were reviewed by a person; the order goes ahead. */
      overrideHolds?: boolean;
    },
  ): Promise<Placement> {
    const { plan, decision } = input;
    const accepted = decision.outcome === 'accept' || input.overrideHolds === true;
    const segments: NewOrder['segments'] = plan.segments.map((segment) => {
      const externalReference = externalReferenceOf(input.orderNumber, segment.segmentNo);
      return {
        id: randomUUID(),
        segmentNo: segment.segmentNo,
        kind: segment.kind,
        warehouse: segment.warehouse,
        supplierId: segment.supplierId,
        externalReference,
        status: accepted ? 'QUEUED' : 'HELD',
        document: erpDocumentOf(input.header, segment, externalReference, plan.lines),
      };
    });
    const reserve = plan.lines.filter(
      (l) =>
        l.fulfillmentType === 'STOCK' &&
        l.warehouse !== null &&
        new Decimal(l.reservedQuantity).greaterThan(0),
    );
    if (reserve.length > 0) {
      await this.inventory.reserve(
        {
          orderId: input.orderId,
          lines: reserve.map((l) => ({
            sku: l.sku,
            warehouse: l.warehouse as string,
            quantity: l.reservedQuantity,
          })),
          channel: { channelId: input.channel.channelId, kind: input.channel.kind },
          ttlSeconds: this.config.inventory.reservationTtlSeconds,
        },
        { manager },
      );
    }
    if (accepted) {
      for (const segment of segments) {
        await this.jobs.enqueue<PostSegmentPayload>(
          POST_SEGMENT_JOB,
          // The document travels with the job: should the ERP reject it, the exception record
          // holds what operations need to correct and replay.
          { orderId: input.orderId, segmentId: segment.id, document: segment.document },
          { manager },
        );
      }
    }
    return {
      decision,
      accepted,
      holds: accepted && input.overrideHolds !== true ? [] : decision.holds,
      adjustments: plan.adjustments,
      lines: plan.lines,
      segments,
    };
  }
}
