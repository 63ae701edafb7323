import type { ErpLogger } from '../shared/erp-logger.js';

/** A running simulated ERP: stopped before the connection closes. */
export interface RunningOnPremErpSimulation {
  stop(): Promise<void>;
}

/**
 * The simulated ERP behind the on-prem adapter in demo and test mode (DI token).
 *
 * A real on-prem ERP is installed, migrated and loaded by its vendor, and runs its own import
 * jobs on its own scheduler. The embedded demo ERP database has none of that, so a simulator
 * (src/erp-simulators/onprem, bound by ErpSimulatorsModule only when the ERP database is the demo
 * one) prepares it and plays the ERP's import job. The adapter never imports the simulator; it
 * only calls this when one is bound, before it reads or writes the ERP database.
 */
export abstract class OnPremErpSimulator {
  /**
   * Makes the demo ERP database at `url` ready (created, migrated, demo data loaded) and starts
   * the ERP-side jobs the adapter relies on (sales-order and customer import).
   */
  abstract start(url: string, logger: ErpLogger): Promise<RunningOnPremErpSimulation>;
}
