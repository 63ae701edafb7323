import { jsonNestsDeeperThan } from './json-body.js';
import { findUnsafeStrings, jsonMayHoldUnsafeCharacter } from './unsafe-input.js';

describe(findUnsafeStrings.name, () => {
  it('names every field holding a NUL or an unpaired surrogate, with its path', () => {
    const sut = findUnsafeStrings({
      customerId: 'C\u0000',
      lines: [{ sku: 'ok' }, { sku: '\udc00x', note: 'pair \ud83d\ude00 is fine' }],
      shipTo: { city: 'x\ud800' },
    });
    expect(sut.map((v) => `${v.field}:${v.code}`).sort()).toEqual([
      'customerId:INVALID_CHARACTER',
      'lines[1].sku:INVALID_CHARACTER',
      'shipTo.city:INVALID_CHARACTER',
    ]);
  });

  it('finds nothing in clean input, surrogate pairs included', () => {
    expect(findUnsafeStrings({ a: ['\ud83d\ude00', 1, null, { b: 'é' }] })).toEqual([]);
  });

  it('reports a property name with a NUL against its object', () => {
    expect(findUnsafeStrings({ lines: [{ 'sku\u0000': 'A' }] })).toEqual([
      expect.objectContaining({ code: 'INVALID_CHARACTER', field: 'lines[0]' }),
    ]);
  });
});

describe(jsonMayHoldUnsafeCharacter.name, () => {
  it('spots the escapes that decode to a NUL or a surrogate, and nothing else', () => {
    expect(jsonMayHoldUnsafeCharacter('{"a":"\\u0000"}')).toBe(true);
    expect(jsonMayHoldUnsafeCharacter('{"a":"\\uD800"}')).toBe(true);
    expect(jsonMayHoldUnsafeCharacter('{"a":"\\u00e9 caf\\u00e9"}')).toBe(false);
    expect(jsonMayHoldUnsafeCharacter('{"a":"plain"}')).toBe(false);
  });
});

describe(jsonNestsDeeperThan.name, () => {
  it('counts nesting of objects and arrays, not brackets inside strings', () => {
    expect(jsonNestsDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(jsonNestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"[[[[[[\\"[[["}', 1)).toBe(false);
  });
});
