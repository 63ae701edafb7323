import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudInventoryFeed } from '../../src/adapters/erp/cloud/inventory/cloud-inventory.feed.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { startCloudErpSandbox } from '../../src/erp-simulators/cloud/index.js';
import { freePort } from '../support/free-port.js';
import { describeInventoryFeedContract } from './inventory-feed.contract.js';

/**
 * The cloud adapter against the cloud ERP sandbox over real HTTP (OAuth2, BC paging and
 * filters), its stock moved through the sandbox's ERP-side admin operations.
 */
describeInventoryFeedContract('cloud', async () => {
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
    feed: new CloudInventoryFeed(connect(sandbox.url, sandbox.tokenUrl)),
    dataset,
    sourceIdOf: (b) => b.id,
    changeBalance: async (b, onHand, allocated) => {
      sandbox.store.mutate('inventoryBalances', b.id, { onHand, allocated });
    },
    unreachableFeed: async () => {
      const port = await freePort();
      return new CloudInventoryFeed(
        connect(`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}/token`),
      );
    },
    close: () => sandbox.close(),
  };
});
