import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNEL_KINDS } from '../../../platform/auth/index.js';
import { SOURCE_SYSTEMS, SystemOfRecordError } from '../domain/system-of-record.js';
import { loadSystemOfRecord } from './system-of-record.loader.js';

const write = (name: string, text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'sor-spec-')), name);
  writeFileSync(file, text);
  return file;
};

describe(loadSystemOfRecord.name, () => {
  it('loads the reviewed matrix of the repository', () => {
    const loaded = loadSystemOfRecord(join(process.cwd(), 'config', 'system-of-record.yaml'));
    expect(loaded.field('customer', 'phone').owner).toBe('crm');
  });

  it('knows every channel kind as a source system (a channel kind is its source system)', () => {
    for (const kind of CHANNEL_KINDS) expect(SOURCE_SYSTEMS).toContain(kind);
  });

  it('names the file when it cannot be read or parsed', () => {
    expect(() => loadSystemOfRecord('/nonexistent/matrix.yaml')).toThrow(
      /Invalid system-of-record matrix \/nonexistent\/matrix\.yaml:\n {2}- cannot be read/,
    );
    const file = write('dup.yaml', 'version: 1\nversion: 1\n');
    expect(() => loadSystemOfRecord(file)).toThrow(SystemOfRecordError);
    expect(() => loadSystemOfRecord(file)).toThrow(/is not valid YAML\/JSON/);
  });

  it('reads a JSON matrix too', () => {
    const file = write('matrix.json', JSON.stringify({ version: 1, entities: {} }));
    expect(() => loadSystemOfRecord(file)).toThrow(/entities\.customer: missing/);
  });
});
