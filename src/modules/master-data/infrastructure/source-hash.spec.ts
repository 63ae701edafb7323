import { sourceHash } from './source-hash.js';

describe(sourceHash.name, () => {
  it('does not depend on property order', () => {
    expect(sourceHash('s1', { a: 1, b: { c: [1, 2], d: null } })).toBe(
      sourceHash('s1', { b: { d: null, c: [1, 2] }, a: 1 }),
    );
  });

  it('changes with any value, array order or the source id', () => {
    const base = sourceHash('s1', { a: ['x', 'y'] });
    expect(sourceHash('s1', { a: ['y', 'x'] })).not.toBe(base);
    expect(sourceHash('s2', { a: ['x', 'y'] })).not.toBe(base);
    expect(sourceHash('s1', { a: ['x', 'y'], b: null })).not.toBe(base);
  });

  it('ignores undefined properties, as JSON does', () => {
    expect(sourceHash('s1', { a: 1, b: undefined })).toBe(sourceHash('s1', { a: 1 }));
  });

  it('stays the hash existing rows were stored with', () => {
    expect(sourceHash('s1', { a: 1 })).toBe('F62GiPggg0KcARbmvfZuqxF6ciE-SEQRwCBzD7h7H4Q');
  });
});
