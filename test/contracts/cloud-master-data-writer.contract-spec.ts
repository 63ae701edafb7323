import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudMasterDataFeed } from '../../src/adapters/erp/cloud/master-data/cloud-master-data.feed.js';
import { CloudMasterDataWriter } from '../../src/adapters/erp/cloud/master-data/cloud-master-data.writer.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { PermanentJobError } from '../../src/platform/jobs/index.js';
import { startCloudErpSandbox, sandboxCredentials } from '../../src/erp-simulators/cloud/index.js';
import { describeMasterDataWriterContract } from './master-data-writer.contract.js';

/**
 * The cloud writer against the sandbox over real HTTP: PATCH customers / shipToAddresses with
 * If-Match, 412 Request_EntityChanged on a stale ETag. A concurrent ERP edit is staged by
 * interposing on the HTTP transport: the sandbox record changes just before the PATCH arrives.
 */
describeMasterDataWriterContract(
  'cloud',
  async () => {
    const dataset = generateDemoDataset({ scale: 1 });
    const sandbox = await startCloudErpSandbox({ dataset });
    const armed = new Map<string, Record<string, string>>();
    const interposed: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (init?.method === 'PATCH' && url.includes('/customers(')) {
        const id = /customers\(([^)]+)\)/.exec(url)?.[1] ?? '';
        const customer = dataset.customers.find((c) => c.id.toLowerCase() === id.toLowerCase());
        const changes = customer ? armed.get(customer.customerNo) : undefined;
        if (customer && changes) {
          armed.delete(customer.customerNo);
          sandbox.store.mutate('customers', customer.customerNo, changes);
        }
      }
      return fetch(input, init);
    };
    const erp = new CloudErpConnection({
      ...sandboxCredentials(sandbox),
      localCurrency: dataset.company.baseCurrencyCode,
      governor: { requestsPerWindow: 1_000_000, windowMs: 60_000, maxConcurrent: 5 },
      fetch: interposed,
    });
    return {
      writer: new CloudMasterDataWriter(erp),
      feed: new CloudMasterDataFeed(erp),
      dataset,
      erpProcesses: async () => undefined,
      isPending: () => false,
      armConcurrentErpChange: (customerNo, changes) => armed.set(customerNo, changes),
      close: () => sandbox.close(),
    };
  },
  { optimisticConcurrency: true },
);

describe('cloud MasterDataWriter without the shipToAddresses page', () => {
  it('fails a ship-to write-back permanently with ERP_WRITE_UNSUPPORTED (standard v2.0 has no ship-to entity)', async () => {
    const dataset = generateDemoDataset({ scale: 1 });
    const sandbox = await startCloudErpSandbox({ dataset, customPages: false });
    try {
      const writer = new CloudMasterDataWriter(
        new CloudErpConnection({
          ...sandboxCredentials(sandbox),
          localCurrency: dataset.company.baseCurrencyCode,
          governor: { requestsPerWindow: 1_000_000, windowMs: 60_000, maxConcurrent: 5 },
        }),
      );
      const write = writer.writeShipTo({
        customerErpId: dataset.customers[0].customerNo,
        shipTo: {
          code: 'NOPAGE',
          name: 'No page',
          addressLines: ['1 Main St'],
          city: 'Toledo',
          region: 'OH',
          postalCode: '43604',
          country: 'US',
          defaultWarehouseCode: null,
          taxAreaCode: null,
        },
        requestId: 'no-page-1',
      });
      await expect(write).rejects.toBeInstanceOf(PermanentJobError);
      await expect(write).rejects.toMatchObject({ code: 'ERP_WRITE_UNSUPPORTED' });
    } finally {
      await sandbox.close();
    }
  });
});
