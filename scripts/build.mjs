// Compiles src/ to dist/ with swc, skipping the work when nothing in src/ (or the build config)
// changed since the last build: `npm start` builds first, and a warm start should not pay for it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = join('dist', '.build-stamp');
const force = process.argv.includes('--force');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const inputs = Math.max(
  newestMtime('src'),
  statSync('.swcrc').mtimeMs,
  statSync('package.json').mtimeMs,
);
if (!force && existsSync(STAMP) && statSync(STAMP).mtimeMs >= inputs) process.exit(0);

rmSync('dist', { recursive: true, force: true });
const result = spawnSync(
  'npx',
  ['swc', 'src', '-d', 'dist', '--strip-leading-paths', '--copy-files', '--quiet'],
  { stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(STAMP, new Date().toISOString());
