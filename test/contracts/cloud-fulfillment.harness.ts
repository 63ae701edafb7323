import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudInvoiceFeed } from '../../src/adapters/erp/cloud/fulfillment/cloud-invoice.feed.js';
import { CloudShipmentFeed } from '../../src/adapters/erp/cloud/fulfillment/cloud-shipment.feed.js';
import { CloudShipmentGateway } from '../../src/adapters/erp/cloud/fulfillment/cloud-shipment.gateway.js';
import { CloudSalesOrderChangeFeed } from '../../src/adapters/erp/cloud/orders/cloud-sales-order-change.feed.js';
import { CloudSalesOrderGateway } from '../../src/adapters/erp/cloud/orders/cloud-sales-order.gateway.js';
import {
  type CloudErpSandbox,
  type CloudErpSandboxOptions,
  sandboxCredentials,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { ShipmentRejectedError } from '../../src/modules/fulfillment/index.js';
import type { FulfillmentHarness } from './fulfillment.harness.js';

/** BC numbers order lines 10000, 20000, …: the hub's line n (cloud-sales-order.mapper). */
const SEQUENCE_STEP = 10_000;

export interface CloudFulfillmentHarness extends FulfillmentHarness {
  sandbox: CloudErpSandbox;
  connection: CloudErpConnection;
}

/**
 * The cloud adapters (CloudShipmentFeed, CloudInvoiceFeed, CloudShipmentGateway,
 * CloudSalesOrderChangeFeed) against the cloud ERP sandbox over real HTTP. The ERP's users are
 * the sandbox's store: they post shipments and invoices, delete and edit orders.
 * `fulfillmentPages: false` is a tenant without the crossdock fulfillment extension.
 */
export async function cloudFulfillmentHarness(
  options: Pick<CloudErpSandboxOptions, 'fulfillmentPages' | 'customPages'> = {},
): Promise<CloudFulfillmentHarness> {
  const dataset = generateDemoDataset({ scale: 1 });
  const sandbox = await startCloudErpSandbox({ dataset, ...options });
  const connection = new CloudErpConnection({
    ...sandboxCredentials(sandbox),
    localCurrency: dataset.company.baseCurrencyCode,
    // The suites are about behaviour, not pacing: no client-side rate limit to wait for.
    governor: { requestsPerWindow: 1_000_000, windowMs: 60_000, maxConcurrent: 5 },
  });
  const shipmentGateway = new CloudShipmentGateway(connection);
  const { store } = sandbox;
  const orderOf = (ref: string): string => {
    const order = store.tables.salesOrders
      .sorted()
      .filter((o) => o.data.externalDocumentNumber === ref)
      .sort((a, b) => a.data.number.localeCompare(b.data.number))[0];
    if (!order) throw new Error(`The sandbox ERP holds no order for ${ref}`);
    return order.id;
  };
  return {
    sandbox,
    connection,
    dataset,
    salesOrders: new CloudSalesOrderGateway(connection),
    shipmentFeed: new CloudShipmentFeed(connection),
    invoiceFeed: new CloudInvoiceFeed(connection),
    shipmentGateway,
    orderChanges: new CloudSalesOrderChangeFeed(connection),
    linksOrderLines: false,
    holdsTracking: options.fulfillmentPages !== false,
    deletesCancelledOrders: true,
    runErpImportJob: async () => undefined,
    erpShip: async (ref, lines, tracking) => {
      const shipment = store.posting.ship(
        orderOf(ref),
        lines.map((l) => ({ sequence: l.lineNo * SEQUENCE_STEP, quantity: l.quantity })),
        tracking
          ? {
              tracking: {
                shippingAgentCode: tracking.carrier,
                packageTrackingNo: tracking.trackingNumber,
              },
            }
          : {},
      );
      return shipment.data.number;
    },
    erpInvoice: async (ref) => store.posting.invoice(orderOf(ref)).data.number,
    erpCancelOrder: async (ref) => {
      store.deleteSalesOrder(orderOf(ref), '*', () => '*');
    },
    erpSetLineQuantity: async (ref, lineNo, quantity) => {
      store.posting.setLineQuantity(orderOf(ref), lineNo * SEQUENCE_STEP, quantity);
    },
    erpShipmentsFor: async (reference) =>
      store.tables.salesShipments
        .sorted()
        .filter((s) => s.data.hubShipmentReference === reference)
        .map((s) => ({
          shipmentNo: s.data.number,
          erpOrderNumber: s.data.orderNumber,
          lines: s.data.lineIds.map((id) => {
            const line = store.tables.salesShipmentLines.get(id)?.data;
            if (!line) throw new Error(`line ${id} of shipment ${s.data.number} is missing`);
            return { sku: line.lineObjectNumber, quantity: line.quantity };
          }),
        })),
    postLosingTheAnswer: async (document) => {
      // BC commits the POST, then the connection drops before the answer: a transient error
      // (never a rejection); the hub's retry must find the shipment, not post another.
      sandbox.faults.set({ commitThenDropRate: 1 });
      try {
        const lost = await shipmentGateway.post(document).catch((e: unknown) => e);
        if (!(lost instanceof Error) || lost instanceof ShipmentRejectedError) {
          throw new Error(`expected a lost answer, got ${String(lost)}`);
        }
      } finally {
        sandbox.faults.reset();
      }
    },
    close: () => sandbox.close(),
  };
}
