import {
  type DynamicModule,
  Injectable,
  Module,
  type OnModuleInit,
  type Provider,
  type Type,
} from '@nestjs/common';
import { PinoLogger } from '../../platform/logging/index.js';
import { AppConfig, erpOnPremDatabase } from '../../config/index.js';
import { InventoryFeed } from '../../modules/inventory/index.js';
import { MasterDataFeed, MasterDataWriter } from '../../modules/master-data/index.js';
import { InvoiceFeed, ShipmentFeed, ShipmentGateway } from '../../modules/fulfillment/index.js';
import { SalesOrderChangeFeed, SalesOrderGateway } from '../../modules/orders/index.js';
import { PriceDataFeed } from '../../modules/pricing/index.js';
import { ReadinessRegistry } from '../../platform/health/index.js';
import { BcNotificationsController } from './cloud/changes/bc-notifications.controller.js';
import { CloudErpChanges } from './cloud/changes/cloud-erp-changes.service.js';
import { CloudErpConnection } from './cloud/cloud-erp.connection.js';
import { CloudInvoiceFeed } from './cloud/fulfillment/cloud-invoice.feed.js';
import { CloudShipmentFeed } from './cloud/fulfillment/cloud-shipment.feed.js';
import { CloudShipmentGateway } from './cloud/fulfillment/cloud-shipment.gateway.js';
import { CloudInventoryFeed } from './cloud/inventory/cloud-inventory.feed.js';
import { CloudMasterDataFeed } from './cloud/master-data/cloud-master-data.feed.js';
import { CloudMasterDataWriter } from './cloud/master-data/cloud-master-data.writer.js';
import { CloudSalesOrderChangeFeed } from './cloud/orders/cloud-sales-order-change.feed.js';
import { CloudSalesOrderGateway } from './cloud/orders/cloud-sales-order.gateway.js';
import { CloudPriceDataFeed } from './cloud/pricing/cloud-price-data.feed.js';
import { OnPremInvoiceFeed } from './onprem/fulfillment/onprem-invoice.feed.js';
import { OnPremShipmentFeed } from './onprem/fulfillment/onprem-shipment.feed.js';
import { OnPremShipmentGateway } from './onprem/fulfillment/onprem-shipment.gateway.js';
import { OnPremInventoryFeed } from './onprem/inventory/onprem-inventory.feed.js';
import { OnPremChangePoller } from './onprem/changes/onprem-change.poller.js';
import { OnPremErpConnection } from './onprem/onprem-erp.connection.js';
import { OnPremErpSimulator } from './onprem/onprem-erp-simulator.js';
import { OnPremMasterDataFeed } from './onprem/master-data/onprem-master-data.feed.js';
import { OnPremMasterDataWriter } from './onprem/master-data/onprem-master-data.writer.js';
import { OnPremSalesOrderChangeFeed } from './onprem/orders/onprem-sales-order-change.feed.js';
import { OnPremSalesOrderGateway } from './onprem/orders/onprem-sales-order.gateway.js';
import { OnPremPriceDataFeed } from './onprem/pricing/onprem-price-data.feed.js';
import { ErpMetrics } from './shared/erp-metrics.js';

/** A module port (abstract class = DI token) and the class of this adapter set that implements it. */
interface PortBinding {
  port: abstract new (...args: never[]) => unknown;
  adapter: Type<unknown>;
}

/**
 * One ERP adapter set: the connection its port adapters share (built from config) and one line
 * per port. PriceDataFeed (#5), InventoryFeed (#6) and SalesOrderGateway (#7) each add a mapping
 * class per set and one `{ port, adapter }` line here; the connection is already shared.
 */
interface ErpAdapterSet {
  connection: Provider;
  ports: PortBinding[];
  /** How ERP changes reach the hub between schedules (webhooks, cheap polls) and their routes. */
  changes: { providers: Provider[]; controllers: Type<unknown>[] };
}

const ONPREM: ErpAdapterSet = {
  connection: {
    provide: OnPremErpConnection,
    inject: [AppConfig, ErpMetrics, PinoLogger, { token: OnPremErpSimulator, optional: true }],
    useFactory: (
      config: AppConfig,
      metrics: ErpMetrics,
      logger: PinoLogger,
      simulator: OnPremErpSimulator | undefined,
    ) => {
      logger.setContext(OnPremErpConnection.name);
      const target = erpOnPremDatabase(config);
      if (target?.demo && config.database.connect && !simulator) {
        logger.warn(
          { database: new URL(target.url).pathname },
          'on-prem ERP demo database without the ERP simulator: nothing prepares or imports into it',
        );
      }
      return new OnPremErpConnection({
        // The OpenAPI generator builds the app graph offline: no pool, no connection.
        url: config.database.connect ? (target?.url ?? null) : null,
        // Bound by ErpSimulatorsModule for the demo database only (never for a real ERP).
        simulator: target?.demo ? simulator : undefined,
        logger,
        onCall: metrics.observer('onprem'),
      });
    },
  },
  ports: [
    { port: MasterDataFeed, adapter: OnPremMasterDataFeed },
    { port: MasterDataWriter, adapter: OnPremMasterDataWriter },
    { port: InventoryFeed, adapter: OnPremInventoryFeed },
    { port: PriceDataFeed, adapter: OnPremPriceDataFeed },
    { port: SalesOrderGateway, adapter: OnPremSalesOrderGateway },
    { port: ShipmentFeed, adapter: OnPremShipmentFeed },
    { port: InvoiceFeed, adapter: OnPremInvoiceFeed },
    { port: ShipmentGateway, adapter: OnPremShipmentGateway },
    { port: SalesOrderChangeFeed, adapter: OnPremSalesOrderChangeFeed },
  ],
  changes: { providers: [OnPremChangePoller], controllers: [] },
};

const CLOUD: ErpAdapterSet = {
  connection: {
    provide: CloudErpConnection,
    inject: [AppConfig, ErpMetrics, PinoLogger],
    useFactory: (config: AppConfig, metrics: ErpMetrics, logger: PinoLogger) => {
      logger.setContext(CloudErpConnection.name);
      const cloud = config.cloudErp;
      return new CloudErpConnection({
        baseUrl: cloud.baseUrl,
        tokenUrl: cloud.tokenUrl,
        clientId: cloud.clientId,
        clientSecret: cloud.clientSecret,
        scope: cloud.scope,
        companyId: cloud.companyId,
        localCurrency: cloud.localCurrency,
        defaultLocationCode: cloud.defaultLocationCode,
        syncConcurrency: cloud.syncConcurrency,
        governor: {
          requestsPerWindow: cloud.rateLimitPer5Minutes,
          windowMs: 5 * 60_000,
          maxConcurrent: cloud.maxConcurrent,
          requestTimeoutMs: cloud.timeoutMs,
        },
        logger,
        onCall: metrics.observer('cloud'),
      });
    },
  },
  ports: [
    { port: MasterDataFeed, adapter: CloudMasterDataFeed },
    { port: MasterDataWriter, adapter: CloudMasterDataWriter },
    { port: InventoryFeed, adapter: CloudInventoryFeed },
    { port: PriceDataFeed, adapter: CloudPriceDataFeed },
    { port: SalesOrderGateway, adapter: CloudSalesOrderGateway },
    { port: ShipmentFeed, adapter: CloudShipmentFeed },
    { port: InvoiceFeed, adapter: CloudInvoiceFeed },
    { port: ShipmentGateway, adapter: CloudShipmentGateway },
    { port: SalesOrderChangeFeed, adapter: CloudSalesOrderChangeFeed },
  ],
  changes: { providers: [CloudErpChanges], controllers: [BcNotificationsController] },
};

const ADAPTER_SETS: Record<AppConfig['erpAdapter'], ErpAdapterSet> = {
  onprem: ONPREM,
  cloud: CLOUD,
};

/** Hooks the bound adapter into /health/ready as `erp`. */
@Injectable()
export class ErpReadinessCheck implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly feed: MasterDataFeed,
  ) {}

  onModuleInit(): void {
    this.registry.register('erp', () => this.feed.healthCheck());
  }
}

/**
 * Binds ONE ERP adapter set to the modules' ports, chosen by ERP_ADAPTER: switching the ERP is
 * configuration only, nothing in src/modules changes. Global, so every module that injects a
 * port (MasterDataFeed, ...) gets the bound adapter.
 */
@Module({})
export class ErpAdapterModule {
  static forRoot(config: AppConfig): DynamicModule {
    const set = ADAPTER_SETS[config.erpAdapter];
    return {
      module: ErpAdapterModule,
      global: true,
      providers: [
        ErpMetrics,
        set.connection,
        ...set.ports.flatMap(({ port, adapter }) => [
          adapter,
          { provide: port, useExisting: adapter },
        ]),
        ErpReadinessCheck,
        ...set.changes.providers,
      ],
      controllers: set.changes.controllers,
      exports: set.ports.map(({ port }) => port),
    };
  }
}
