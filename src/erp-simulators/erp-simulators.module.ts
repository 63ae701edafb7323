import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { OnPremErpSimulator } from '../adapters/erp/onprem/onprem-erp-simulator.js';
import { type AppConfig, erpOnPremDatabase } from '../config/index.js';
import { DemoOnPremErp } from './onprem/demo-onprem-erp.js';

/**
 * Binds the ERP simulators the configured adapter needs in demo and test mode, and nothing
 * otherwise: with ERP_ADAPTER=onprem and no ERP_ONPREM_DATABASE_URL, the demo on-prem ERP
 * (OnPremErpSimulator). The cloud ERP sandbox is an HTTP server started next to the app (hub.ts),
 * not a provider. Imported by the composition root only: adapters and modules never see it.
 */
@Global()
@Module({})
export class ErpSimulatorsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers: Provider[] = [];
    const onprem = erpOnPremDatabase(config);
    if (config.erpAdapter === 'onprem' && onprem?.demo && config.database.connect) {
      providers.push({ provide: OnPremErpSimulator, useValue: new DemoOnPremErp() });
    }
    return { module: ErpSimulatorsModule, providers, exports: providers };
  }
}
