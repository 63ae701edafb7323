import { ApplicationError } from '../errors/index.js';
import { decodeExceptionCursor, encodeExceptionCursor } from './exception-cursor.js';

describe('exception cursor', () => {
  const cursor = {
    createdAt: '2025-11-29T10:15:30.123456Z',
    id: '0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e',
  };

  it('round-trips a position with microsecond precision', () => {
    const encoded = encodeExceptionCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeExceptionCursor(encoded)).toEqual(cursor);
  });

  it.each([
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    [
      'a bad timestamp',
      Buffer.from('{"t":"yesterday","i":"0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e"}').toString(
        'base64url',
      ),
    ],
    ['a bad id', Buffer.from('{"t":"2025-11-29T10:15:30.123456Z","i":"42"}').toString('base64url')],
  ])('rejects a cursor that is %s as a validation error', (_why, value) => {
    let caught: unknown;
    try {
      decodeExceptionCursor(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApplicationError);
    expect(caught).toMatchObject({ code: 'INVALID_CURSOR', kind: 'validation' });
  });
});
