import { bearer, createTestChannel, type TestChannelOptions } from './channels.js';
import { startTestApp, type TestApp } from './test-app.js';

/** Every scheduled ERP sync off: the suite's requests are the only thing the hub does. */
export const SYNC_CRONS_OFF: Record<string, string> = {
  MASTER_DATA_SYNC_CRON: 'off',
  PRICING_SYNC_CRON: 'off',
  PRICING_FULL_SYNC_CRON: 'off',
  INVENTORY_SYNC_CRON: 'off',
};

export interface QuietHub {
  hub: TestApp;
  /** Bearer headers of a fresh channel (createTestChannel defaults unless `channel` says). */
  auth: Record<string, string>;
}

/** The real app with no scheduled syncs, and one channel to call it with. */
export async function startQuietHub(channel: TestChannelOptions = {}): Promise<QuietHub> {
  const hub = await startTestApp(SYNC_CRONS_OFF);
  try {
    return { hub, auth: bearer((await createTestChannel(hub.app, channel)).apiKey) };
  } catch (error) {
    await hub.close();
    throw error;
  }
}
