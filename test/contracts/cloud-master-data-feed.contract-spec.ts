import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudMasterDataFeed } from '../../src/adapters/erp/cloud/master-data/cloud-master-data.feed.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { startCloudErpSandbox } from '../../src/erp-simulators/cloud/index.js';
import { freePort } from '../support/free-port.js';
import { describeMasterDataFeedContract } from './master-data-feed.contract.js';

/**
 * The cloud adapter against the cloud ERP sandbox over real HTTP (OAuth2, BC paging and
 * filters), edited through the sandbox's ERP-side admin operations.
 */
describeMasterDataFeedContract('cloud', async () => {
  const dataset = generateDemoDataset({ scale: 1 });
  const sandbox = await startCloudErpSandbox({ dataset });
  const connect = (baseUrl: string, tokenUrl: string): CloudErpConnection =>
    new CloudErpConnection({
      baseUrl,
      tokenUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      scope: sandbox.scope,
      companyId: sandbox.companyId,
      localCurrency: dataset.company.baseCurrencyCode,
      // The contract is about data, not pacing: no client-side rate limit to wait for.
      governor: { requestsPerWindow: 1_000_000, windowMs: 60_000, maxConcurrent: 5 },
    });
  return {
    feed: new CloudMasterDataFeed(connect(sandbox.url, sandbox.tokenUrl)),
    dataset,
    sourceIdOf: {
      customer: (c) => c.id,
      item: (i) => i.id,
      warehouse: (w) => w.id,
    },
    changeCustomerCreditLimit: async (customerNo, creditLimit) => {
      sandbox.store.mutate('customers', customerNo, { creditLimit });
    },
    changeShipToCity: async (customerNo, code, city) => {
      sandbox.store.mutate('shipToAddresses', `${customerNo}|${code}`, { city });
    },
    changeItemUomFactor: async (sku, uomCode, factor) => {
      const uom = dataset.items.find((i) => i.sku === sku)?.uoms.find((u) => u.uomCode === uomCode);
      if (!uom) throw new Error(`no unit ${uomCode} on ${sku}`);
      sandbox.store.mutate('itemUnitsOfMeasure', uom.id, { factor });
    },
    addUnmappableCustomer: async () => {
      const row = sandbox.store.insert('customers', {
        ...dataset.customers[0],
        id: undefined,
        customerNo: 'C99001',
        name: 'Pending Account Inc.',
        status: 'ON_HOLD',
      });
      return row.id;
    },
    unreachableFeed: async () => {
      const port = await freePort();
      return new CloudMasterDataFeed(
        connect(`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}/token`),
      );
    },
    close: () => sandbox.close(),
  };
});
