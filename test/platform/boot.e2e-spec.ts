import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';

const root = process.cwd();

/** `npm start` end to end: the compiled app as its own process, on its own embedded PostgreSQL. */
describe('npm start (compiled process)', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' });
  });

  function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    return { child, output: () => out };
  }

  const exited = (child: ChildProcess): Promise<number | null> =>
    new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });

  async function waitReady(url: string, timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      try {
        const res = await fetch(`${url}/health/ready`);
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not ready within ${timeoutMs} ms`);
  }

  it('prints every invalid variable and exits 1 without a stack trace', async () => {
    const { child, output } = start({ PORT: 'x', ERP_ADAPTER: 'sap', LOG_LEVEL: 'chatty' });
    expect(await exited(child)).toBe(1);
    const text = output();
    expect(text).toContain('Invalid configuration');
    for (const v of ['PORT', 'ERP_ADAPTER', 'LOG_LEVEL']) expect(text).toContain(v);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('starts on a fresh embedded PostgreSQL, reuses it on the next start, and leaves no server behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-boot-'));
    const env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(await freePort()),
    };
    const url = `http://127.0.0.1:${env.PORT}`;
    try {
      const first = start(env);
      // Ready includes the demo's first sync of the ERP data (initial-sync check).
      const coldMs = await waitReady(url, 150_000);
      expect(first.output()).toContain('embedded PostgreSQL initialised and started');
      first.child.kill('SIGTERM');
      expect(await exited(first.child)).toBe(0);
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

      const second = start(env);
      const warmMs = await waitReady(url, 90_000);
      expect(second.output()).toContain('embedded PostgreSQL started (existing data)');
      second.child.kill('SIGINT');
      expect(await exited(second.child)).toBe(0);
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      process.stdout.write(`boot: cold ready in ${coldMs} ms, warm ready in ${warmMs} ms\n`);
    } finally {
      const pidFile = join(dataDir, 'pg', 'postmaster.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        if (pid > 0) process.kill(pid, 'SIGQUIT');
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
