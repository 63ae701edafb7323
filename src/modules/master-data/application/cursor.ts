import { MasterDataErrors } from './master-data.errors.js';

/**
 * Opaque page cursors: base64url of a small JSON document. Clients only pass them back; the
 * decoder checks the shape and answers INVALID_CURSOR (400) for anything it did not issue.
 */
export function encodeCursor(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor<T>(value: string, isValid: (decoded: unknown) => decoded is T): T {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw MasterDataErrors.invalidCursor();
  }
  if (!isValid(decoded)) throw MasterDataErrors.invalidCursor();
  return decoded;
}
