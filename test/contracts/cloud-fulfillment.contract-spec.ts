import { cloudFulfillmentHarness } from './cloud-fulfillment.harness.js';
import { describeInvoiceFeedContract } from './invoice-feed.contract.js';
import { describeSalesOrderChangeFeedContract } from './sales-order-change-feed.contract.js';
import { describeShipmentFeedContract } from './shipment-feed.contract.js';
import { describeShipmentGatewayContract } from './shipment-gateway.contract.js';

/** The cloud (Business Central) fulfillment adapters against the sandbox with the extension pages. */
const harness = () => cloudFulfillmentHarness();

describeShipmentFeedContract('cloud', harness);
describeInvoiceFeedContract('cloud', harness);
describeShipmentGatewayContract('cloud', harness);
describeSalesOrderChangeFeedContract('cloud', harness);
