import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';

const root = process.cwd();

interface Started {
  npm: ChildProcess;
  output: () => string;
}

/**
 * `npm start` exactly as a user or a process manager runs it: npm, the app and the embedded
 * PostgreSQL it starts. Stopping it, by SIGTERM to npm (systemd, Docker, pm2) or by Ctrl-C
 * (SIGINT to the terminal's whole process group), must leave no process behind and no job
 * failing because the database went first.
 */
describe('npm start, then stop', () => {
  beforeAll(() => {
    execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
  });

  let dataDir: string;
  let env: Record<string, string>;
  let url: string;
  const recorded = new Set<number>();

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crossdock-start-stop-'));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
    };
    url = `http://127.0.0.1:${env.PORT}`;
    recorded.clear();
  });

  afterEach(async () => {
    // Whatever a failed assertion left running goes, so the next suite is not disturbed.
    for (const pid of recorded) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await waitFor(() => [...recorded].every((pid) => !alive(pid)), 10_000).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  function npmStart(): Started {
    // Its own process group, like a shell's foreground job: the test can signal the whole group.
    const npm = spawn('npm', ['start'], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    npm.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    recorded.add(npm.pid ?? 0);
    return { npm, output: () => out };
  }

  /** npm, its shell (if any), node, PostgreSQL and its backends: every process started. */
  function recordTree(rootPid: number): number[] {
    const pids = [rootPid, ...descendants(rootPid)];
    const postmaster = postmasterPid();
    if (postmaster) pids.push(postmaster, ...descendants(postmaster));
    for (const pid of pids) recorded.add(pid);
    return [...new Set(pids)];
  }

  function postmasterPid(): number | undefined {
    const file = join(dataDir, 'pg', 'postmaster.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  it('leaves no process behind and frees both ports when npm start gets SIGTERM', async () => {
    const { npm, output } = npmStart();
    await waitReady(url, output);
    const tree = recordTree(npm.pid ?? 0);
    expect(postmasterPid()).toBeDefined();
    expect(tree.length).toBeGreaterThanOrEqual(3);

    process.kill(npm.pid ?? 0, 'SIGTERM');

    await waitFor(
      () => tree.every((pid) => !alive(pid)),
      60_000,
      () => {
        const left = tree.filter(alive);
        return `still running: ${left.join(', ')}\n${psOf(left)}\n${output()}`;
      },
    );
    expect(await portFree(Number(env.PORT))).toBe(true);
    expect(await portFree(Number(env.EMBEDDED_PG_PORT))).toBe(true);
    expect(output()).toContain('SIGTERM received, shutting down');
  }, 180_000);

  it('stops jobs before PostgreSQL on Ctrl-C (SIGINT to the process group): no job failure, no process left', async () => {
    const { npm, output } = npmStart();
    await waitReady(url, output);
    const tree = recordTree(npm.pid ?? 0);

    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-(npm.pid ?? 0), 'SIGINT');

    await waitFor(
      () => tree.every((pid) => !alive(pid)),
      60_000,
      () => {
        const left = tree.filter(alive);
        return `still running: ${left.join(', ')}\n${psOf(left)}\n${output()}`;
      },
    );
    const log = output();
    expect(log).toContain('SIGINT received, shutting down');
    const shutdown = log.slice(log.indexOf('SIGINT received'));
    expect(shutdown).toContain('jobs stopped');
    expect(log).not.toContain('it goes to the exception queue');
    expect(log).not.toContain('job failed');
    // Nothing at error level while stopping: connections cut under pg-boss or TypeORM would be.
    expect(shutdown).not.toMatch(/"level":(50|60)/);
    expect(await portFree(Number(env.PORT))).toBe(true);
    expect(await portFree(Number(env.EMBEDDED_PG_PORT))).toBe(true);
  }, 180_000);
});

function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    children = []; // ps exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function psOf(pids: number[]): string {
  if (pids.length === 0) return '';
  try {
    return execFileSync('ps', ['-o', 'pid,ppid,pgid,stat,cmd', '-p', pids.join(',')], {
      encoding: 'utf8',
    });
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) is not running.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms. ${describe()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function waitReady(url: string, output: () => string): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(`${url}/health/ready`)).status === 200;
      } catch {
        return false; // not listening yet
      }
    },
    120_000,
    output,
  );
}
