import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { INITIAL_SYNC_CHECK } from '../../src/demo-startup-sync.js';
import {
  startCloudErpSandbox,
  type CloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface HealthBody {
  status: string;
  details: Record<string, { status: string; [key: string]: unknown }>;
}

async function ready(hub: TestApp): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`${hub.baseUrl}/health/ready`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

/**
 * A door in front of the cloud ERP sandbox: every request waits until the test opens it. The
 * first sync is held for as long as the test needs, whatever the machine's speed.
 */
class HeldErp {
  private server?: Server;
  private open!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  held = 0;

  constructor(private readonly target: URL) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.forward(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release(): void {
    this.open();
  }

  close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.held++;
    await this.opened;
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

/** Rewrites every URL of the sandbox's environment to go through the door. */
function throughDoor(env: Record<string, string>, sandboxUrl: string, door: string) {
  const origin = new URL(sandboxUrl).origin;
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      v.startsWith(origin) ? door + v.slice(origin.length) : v,
    ]),
  );
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('readiness waits for the demo first sync', () => {
  let sandbox: CloudErpSandbox | undefined;
  let door: HeldErp | undefined;
  let hub: TestApp | undefined;

  afterEach(async () => {
    door?.release();
    await hub?.close();
    await door?.close();
    await sandbox?.close();
    hub = undefined;
    door = undefined;
    sandbox = undefined;
  });

  it('answers 503 "first sync in progress" until the demo start sync has loaded the data, then 200', async () => {
    sandbox = await startCloudErpSandbox({ scale: 0.05 });
    door = new HeldErp(new URL(sandbox.url));
    const doorUrl = await door.start();
    hub = await startTestApp(throughDoor(cloudErpEnv(sandbox), sandbox.url, doorUrl), {
      // The demo seed is on only without DATABASE_URL; the suite's database stands in for it.
      configure: (config) => {
        config.demoSeed = true;
      },
    });

    const held = await ready(hub);
    expect(held.status).toBe(503);
    expect(held.body.details[INITIAL_SYNC_CHECK]).toMatchObject({
      status: 'down',
      message: 'first sync in progress',
    });
    expect(door.held).toBeGreaterThan(0);

    door.release();
    const body = await waitFor(async () => {
      const now = await ready(hub!);
      return now.status === 200 ? now.body : undefined;
    }, 60_000);
    expect(body.details[INITIAL_SYNC_CHECK]).toMatchObject({ status: 'up' });

    // Ready means the data an order needs is there.
    const { apiKey } = await createTestChannel(hub.app, { scopes: ['master-data:read'] });
    const items = await fetch(`${hub.baseUrl}/v1/items?limit=5`, { headers: bearer(apiKey) });
    expect(items.status).toBe(200);
    expect(((await items.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  }, 120_000);

  it('has no initial-sync check when no demo sync runs', async () => {
    hub = await startTestApp({ JOBS_ENABLED: 'false' });
    const { status, body } = await ready(hub);
    expect(status).toBe(200);
    expect(body.details[INITIAL_SYNC_CHECK]).toBeUndefined();
  });
});
