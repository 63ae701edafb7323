import { Injectable } from '@nestjs/common';
import { type ErpShipment, ShipmentFeed } from '../../../../modules/fulfillment/index.js';
import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { CloudErpConnection, isMissingEntitySet } from '../cloud-erp.connection.js';
import { assertTimed, modifiedAtOf } from '../composite-delta.reader.js';
import { DocumentDeltaReader } from '../document-delta.js';
import { type BcShipmentTracking, CloudFulfillmentMapper } from './cloud-fulfillment.mapper.js';

/** Shipment ids per `$filter` on the tracking page (BC keeps URLs short: 40 GUIDs ≈ 2 kB). */
const IDS_PER_LOOKUP = 40;
const TRACKING_PAGE = 'shipmentTrackings';

/**
 * ShipmentFeed over BC's posted `salesShipments` (GET only, no webhooks: the hub polls them),
 * lines expanded. sourceId is the shipment's `id`. Carrier, tracking numbers and the hub's own
 * shipment reference come from the fulfillment extension's `shipmentTrackings` page (BC's
 * standard shipment has no tracking fields, §5.8); without it the feed reports `degraded` and
 * delivers shipments without tracking. The page sits on the Sales Shipment Header itself, so
 * a tracking edit in BC stamps the shipment's lastModifiedDateTime and comes round in the delta.
 */
@Injectable()
export class CloudShipmentFeed extends ShipmentFeed {
  readonly name = 'cloud';
  private readonly reader: DocumentDeltaReader;

  constructor(private readonly erp: CloudErpConnection) {
    super();
    this.reader = new DocumentDeltaReader(erp, {
      entitySet: 'salesShipments',
      lines: 'salesShipmentLines',
      select: ['number', 'orderNumber', 'externalDocumentNumber', 'postingDate'],
    });
  }

  async readShipments(request: DeltaReadRequest): Promise<DeltaPage<ErpShipment>> {
    const page = await this.reader.readPage(request);
    const trackings = await this.trackingsOf(
      page.records.map((r) => r.id),
      request.signal,
    );
    return {
      records: page.records.map((record) => {
        const { header, lines } = this.reader.rowsOf(record);
        return mapOrReport(record.id, modifiedAtOf(record), record.rows, () => {
          assertTimed(record);
          if (!header) throw new UnmappableRecordError('The shipment header is missing.');
          return CloudFulfillmentMapper.shipment(
            header,
            lines,
            trackings ? (trackings.get(record.id) ?? {}) : null,
          );
        });
      }),
      nextCursor: page.nextCursor,
      ...(page.totalEstimate !== undefined ? { totalEstimate: page.totalEstimate } : {}),
      ...(trackings ? {} : { degraded: this.erp.capabilitiesOffFor([TRACKING_PAGE]) }),
    };
  }

  /** The tracking rows of these shipments by id; null while the extension page is missing. */
  private async trackingsOf(
    ids: string[],
    signal?: AbortSignal,
  ): Promise<Map<string, BcShipmentTracking> | null> {
    if (!this.erp.customPageAvailable(TRACKING_PAGE)) return null;
    const found = new Map<string, BcShipmentTracking>();
    try {
      for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
        const chunk = ids.slice(i, i + IDS_PER_LOOKUP);
        const rows = await this.erp.all<BcShipmentTracking & { id: string }>(
          'fulfillment',
          TRACKING_PAGE,
          {
            filter: chunk.map((id) => `id eq ${id}`).join(' or '),
            select: [
              'id',
              'shippingAgentCode',
              'shippingAgentServiceCode',
              'packageTrackingNo',
              'packageTrackingNos',
              'trackingUrl',
              'hubShipmentReference',
            ],
          },
          1000,
          signal,
        );
        for (const row of rows) found.set(String(row.id).toLowerCase(), row);
      }
      // A first read with no shipments still finds out whether the page is there (degraded).
      if (ids.length === 0 && !this.erp.customPages().some((p) => p.entitySet === TRACKING_PAGE)) {
        await this.probe(signal);
      }
    } catch (error) {
      if (isMissingEntitySet(error)) return null;
      throw error;
    }
    return found;
  }

  private async probe(signal?: AbortSignal): Promise<void> {
    await this.erp.page('fulfillment', TRACKING_PAGE, { select: ['id'] }, 1, signal);
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}
