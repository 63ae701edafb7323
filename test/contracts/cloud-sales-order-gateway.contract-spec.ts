import { Decimal } from 'decimal.js';
import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudSalesOrderGateway } from '../../src/adapters/erp/cloud/orders/cloud-sales-order.gateway.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { SalesOrderGateway, SalesOrderRejectedError } from '../../src/modules/orders/index.js';
import { startCloudErpSandbox, sandboxCredentials } from '../../src/erp-simulators/cloud/index.js';
import { describeSalesOrderGatewayContract } from './sales-order-gateway.contract.js';

/**
 * The cloud adapter against the cloud ERP sandbox over real HTTP (OAuth2, OData filters, deep
 * insert, If-Match deletes). The ERP side is the sandbox's store: what BC users and posting
 * routines would change (a shipped quantity) is changed there.
 */
describeSalesOrderGatewayContract('cloud', async () => {
  const dataset = generateDemoDataset({ scale: 1 });
  const sandbox = await startCloudErpSandbox({ dataset });
  const gateway: SalesOrderGateway = new CloudSalesOrderGateway(
    new CloudErpConnection({
      ...sandboxCredentials(sandbox),
      localCurrency: dataset.company.baseCurrencyCode,
      // The contract is about exactly-once, not pacing: no client-side rate limit to wait for.
      governor: { requestsPerWindow: 1_000_000, windowMs: 60_000, maxConcurrent: 5 },
    }),
  );
  const { tables } = sandbox.store;
  const ordersOf = (ref: string) =>
    tables.salesOrders.sorted().filter((o) => o.data.externalDocumentNumber === ref);
  return {
    gateway,
    dataset,
    importsAsynchronously: false,
    deletesCancelledOrders: true,
    runErpImportJob: async () => undefined,
    erpOrders: async (ref) =>
      ordersOf(ref).map((o) => ({
        number: o.data.number,
        customerNo: o.data.customerNumber,
        status: o.data.status,
        shipToCity: o.data.shipTo.city,
        lines: o.data.lineIds.map((id) => {
          const l = tables.salesOrderLines.get(id)?.data;
          if (!l) throw new Error(`line ${id} of ${o.data.number} is missing`);
          return {
            sku: l.lineObjectNumber,
            uom: l.unitOfMeasureCode,
            quantity: l.quantity,
            unitPrice: l.unitPrice,
            warehouseCode: l.locationId
              ? (tables.warehouses.get(l.locationId)?.data.code ?? '?')
              : null,
          };
        }),
      })),
    allocated: async (sku, warehouseCode) =>
      tables.balances
        .sorted()
        .filter((b) => b.data.sku === sku && b.data.warehouseCode === warehouseCode)
        .reduce((sum, b) => sum.plus(b.data.allocated), new Decimal(0))
        .toString(),
    shipFirstLine: async (ref) => {
      const [order] = ordersOf(ref);
      sandbox.store.mutate('salesOrderLines', order.data.lineIds[0], { shippedQuantity: '1' });
    },
    submitLosingTheAnswer: async (document) => {
      // The ERP commits the POST, then the connection drops before the answer: a transient
      // error (never a rejection), and the hub's retry must find the order, not create another.
      sandbox.faults.set({ commitThenDropRate: 1 });
      try {
        const lost = await gateway.submit(document).catch((e: unknown) => e);
        expect(lost).toBeInstanceOf(Error);
        expect(lost).not.toBeInstanceOf(SalesOrderRejectedError);
      } finally {
        sandbox.faults.reset();
      }
      expect(ordersOf(document.externalReference)).toHaveLength(1);
      expect(sandbox.stats.commitThenDrop).toBeGreaterThan(0);
    },
    close: () => sandbox.close(),
  };
});
