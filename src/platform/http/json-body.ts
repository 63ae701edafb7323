import { ApplicationError } from '../errors/index.js';

/**
 * Deepest nesting of objects/arrays a request body may have. The deepest documented body (a
 * corrected ERP document in an exception replay) is 5 levels; class-transformer and
 * class-validator recurse once per level, so a 100k-level body would end in a RangeError (500)
 * after seconds of work.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a JSON text nests deeper than `max`, found by one linear scan of the raw text (before
 * any parser or transformer recurses into it). Brackets inside strings do not count.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function jsonTooDeep(): ApplicationError {
  return new ApplicationError(
    'JSON_TOO_DEEP',
    `The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels.`,
    'validation',
  );
}
