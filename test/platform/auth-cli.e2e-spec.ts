import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { API_KEY_PATTERN } from '../../src/platform/auth/api-key.js';
import { testDatabaseUrl } from '../support/test-app.js';

const root = process.cwd();

/** `npm run channel:create`: the compiled CLI as its own process against the suite's database. */
describe('channel:create CLI', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' });
  });

  const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(process.execPath, ['dist/cli/channel-create.js', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

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
    );

    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd()).toMatch(API_KEY_PATTERN);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(name);
  });

  it('refuses a duplicate name with a clear message and exit code 1', () => {
    const name = `cli-${randomUUID().slice(0, 8)}`;
    expect(run('--name', name, '--kind', 'crm', '--scopes', 'orders:read').status).toBe(0);

    const again = run('--name', name, '--kind', 'crm', '--scopes', 'orders:read');

    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`A channel named "${name}" already exists.`);
  });

  it('names every unknown kind and scope, exit code 1, no stack trace', () => {
    const result = run('--name', 'x', '--kind', 'fax', '--scopes', 'orders:read,orders:delete');

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

    expect(run('--name', 'x', '--kind', 'crm', '--scopes', 'orders:read', '--colour').status).toBe(
      1,
    );
  });
});
