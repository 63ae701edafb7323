import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudPriceDataFeed } from '../../src/adapters/erp/cloud/pricing/cloud-price-data.feed.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { startCloudErpSandbox } from '../../src/erp-simulators/cloud/index.js';
import { freePort } from '../support/free-port.js';
import { describePriceDataFeedContract } from './price-data-feed.contract.js';

/**
 * The cloud adapter against the cloud ERP sandbox over real HTTP (OAuth2, BC paging and
 * filters), edited through the sandbox's ERP-side admin operations. BC's API reports no deletes:
 * a deleted contract just disappears from the sandbox's table.
 */
describePriceDataFeedContract('cloud', async () => {
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
    feed: new CloudPriceDataFeed(connect(sandbox.url, sandbox.tokenUrl)),
    dataset,
    sourceIdOf: {
      priceList: (l) => l.id,
      entry: (line, brk) => brk?.id ?? line.id,
      contract: (c) => c.id,
      promotion: (p) => p.id,
    },
    changeLinePrice: async (line, unitPrice) => {
      sandbox.store.mutate('priceListLines', line.id, { unitPrice });
    },
    addCustomerScope: async (promotion, customerNo) => {
      sandbox.store.mutate('promotions', promotion.code, {
        scopes: [
          ...promotion.scopes,
          {
            id: '00000000-0000-4000-8000-000000000001',
            scopeNo: promotion.scopes.length + 1,
            type: 'CUSTOMER',
            code: customerNo,
          },
        ],
      });
    },
    deleteContract: async (contract) => {
      sandbox.store.tables.contracts.delete(contract.id);
    },
    reportsDeletes: false,
    unreachableFeed: async () => {
      const port = await freePort();
      return new CloudPriceDataFeed(
        connect(`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}/token`),
      );
    },
    close: () => sandbox.close(),
  };
});
