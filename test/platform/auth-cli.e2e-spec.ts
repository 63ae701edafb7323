import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { API_KEY_PATTERN } from '../../src/platform/auth/api-key.js';
import { testDatabaseUrl } from '../support/test-app.js';

const root = process.cwd();

beforeAll(() => {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' });
});

/** `npm run channel:create`: the compiled CLI as its own process against the suite's database. */
describe('channel:create CLI', () => {
  const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
    runCli('channel-create', ...args);

  it('creates a channel and prints its key, alone, on stdout', () => {
    const name = `cli-${randomUUID().slice(0, 8)}`;
    const result = run(
      '--name',
      name,
      '--kind',
      'ecommerce',
      '--scopes',
      'orders:write,orders:read,pricing:read,inventory:read',
      '--rate-limit',
      '600',
      '--all-customers',
    );

    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd()).toMatch(API_KEY_PATTERN);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(name);
  });

  it('refuses a duplicate name with a clear message and exit code 1', () => {
    const name = `cli-${randomUUID().slice(0, 8)}`;
    expect(
      run('--name', name, '--kind', 'crm', '--scopes', 'orders:read', '--all-customers').status,
    ).toBe(0);

    const again = run(
      '--name',
      name,
      '--kind',
      'crm',
      '--scopes',
      'orders:read',
      '--all-customers',
    );

    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`A channel named "${name}" already exists.`);
  });

  it('names every unknown kind and scope, exit code 1, no stack trace', () => {
    const result = run(
      '--name',
      'x',
      '--kind',
      'fax',
      '--scopes',
      'orders:read,orders:delete',
      '--all-customers',
    );

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('"fax"');
    expect(result.stderr).toContain('"orders:delete"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints usage for a missing or unknown option', () => {
    const missing = run('--name', 'x', '--kind', 'crm');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Missing --scopes');
    expect(missing.stderr).toContain('Usage: npm run channel:create');

    expect(
      run('--name', 'x', '--kind', 'crm', '--scopes', 'orders:read', '--all-customers', '--colour')
        .status,
    ).toBe(1);
  });

  it('refuses a channel that does not say which customers it acts for', () => {
    const result = run('--name', 'x', '--kind', 'ecommerce', '--scopes', 'orders:read');

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--customers C1,C2 or --all-customers');
  });

  it('creates a channel bound to listed customers', () => {
    const name = `cli-${randomUUID().slice(0, 8)}`;
    const created = run(
      ...['--name', name, '--kind', 'edi', '--scopes', 'orders:read'],
      ...['--customers', 'C10009, C10028'],
    );
    expect(created.status).toBe(0);
    expect(created.stderr).toContain('customers: C10009, C10028');

    const shown = runCli('channel-customers', '--channel', name);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toBe('C10009\nC10028\n');
  });
});

describe('channel:customers CLI', () => {
  const create = (name: string, ...scope: string[]): void => {
    const result = runCli(
      'channel-create',
      ...['--name', name, '--kind', 'ecommerce', '--scopes', 'master-data:read', ...scope],
    );
    if (result.status !== 0) throw new Error(result.stderr);
  };

  it('adds and removes accounts, switches to every customer, and prints the scope', () => {
    const name = `cli-${randomUUID().slice(0, 8)}`;
    create(name, '--all-customers');

    const added = runCli('channel-customers', '--channel', name, '--add', 'C10003,C10001');
    expect(added.status).toBe(0);
    expect(added.stdout).toBe('C10001\nC10003\n');

    const removed = runCli('channel-customers', '--channel', name, '--remove', 'C10003');
    expect(removed.stdout).toBe('C10001\n');

    const set = runCli('channel-customers', '--channel', name, '--set', 'C10016');
    expect(set.stdout).toBe('C10016\n');

    const all = runCli('channel-customers', '--channel', name, '--all');
    expect(all.status).toBe(0);
    expect(all.stdout).toBe('ALL\n');
  });

  it('names a bad customer number or an unknown channel, exit code 1', () => {
    const bad = runCli('channel-customers', '--channel', 'nope', '--add', 'C1,bad id');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('"bad id"');

    const unknown = runCli('channel-customers', '--channel', `missing-${randomUUID()}`);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No channel named');
  });
});

describe('channel:key CLI', () => {
  it('rotates with a grace period, lists, and revokes by prefix', () => {
    const name = `cli-${randomUUID().slice(0, 8)}`;
    const created = runCli(
      'channel-create',
      ...['--name', name, '--kind', 'ecommerce', '--scopes', 'orders:read', '--all-customers'],
    );
    expect(created.status).toBe(0);
    const firstPrefix = API_KEY_PATTERN.exec(created.stdout.trim())?.[1];

    const rotated = runCli('channel-key', '--channel', name, '--rotate', '--grace-seconds', '3600');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout.trimEnd()).toMatch(API_KEY_PATTERN);
    expect(rotated.stderr).toContain(`Key ${firstPrefix} keeps working until`);
    const newPrefix = API_KEY_PATTERN.exec(rotated.stdout.trim())?.[1];

    const listed = runCli('channel-key', '--channel', name, '--list');
    const states = Object.fromEntries(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t'))
        .map(([prefix, state]) => [prefix, state]),
    );
    expect(states).toEqual({ [firstPrefix!]: 'retiring', [newPrefix!]: 'live' });

    const revoked = runCli('channel-key', '--channel', name, '--revoke', firstPrefix!);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout.split('\t')[1]).toBe('revoked');
  });

  it('refuses to revoke a key of another channel', () => {
    const a = `cli-${randomUUID().slice(0, 8)}`;
    const b = `cli-${randomUUID().slice(0, 8)}`;
    const keyOfB = runCli(
      'channel-create',
      ...['--name', b, '--kind', 'edi', '--scopes', 'orders:read', '--all-customers'],
    ).stdout.trim();
    runCli(
      'channel-create',
      ...['--name', a, '--kind', 'edi', '--scopes', 'orders:read', '--all-customers'],
    );

    const result = runCli(
      'channel-key',
      '--channel',
      a,
      '--revoke',
      API_KEY_PATTERN.exec(keyOfB)![1],
    );

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('has no API key');
  });

  it('asks for exactly one action', () => {
    const result = runCli('channel-key', '--channel', 'x', '--list', '--rotate');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Usage: npm run channel:key');
  });
});

/** A compiled channel CLI as its own process against the suite's database. */
function runCli(
  cli: 'channel-create' | 'channel-customers' | 'channel-key',
  ...args: string[]
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [`dist/cli/${cli}.js`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
