import type { CopyTimeFormat } from './copy-command';
import { LoadErrorCode } from './load-error';
import { Rejection, isBlankText, type Converter } from './converter-types';
import { END_TIMESTAMP_MS, MIN_TIMESTAMP_MS, parseIsoTimestamp } from './timestamp-text';

const DIGITS = /^[+-]?\d+(\.\d+)?$/;
const DAY_MS = 86_400_000;

/**
 * TIMESTAMP and TIMESTAMPTZ, as epoch milliseconds (UTC; a fraction holds microseconds).
 * 'epochmillisecs' / 'epochsecs' read numbers or numeric strings; 'auto' and the default format
 * read ISO-like strings. A TIMESTAMP keeps the wall-clock time written and drops any zone, as
 * PostgreSQL does; a TIMESTAMPTZ without a zone is taken as UTC.
 */
export function timestampConverter(withZone: boolean, timeFormat: CopyTimeFormat | undefined): Converter {
  const format = timeFormat ?? 'YYYY-MM-DD HH:MI:SS';
  const invalid = new Rejection(
    LoadErrorCode.timestampFormat,
    `Invalid timestamp format or value [${format === 'YYYY-MM-DD HH:MI:SS' ? 'YYYY-MM-DD HH24:MI:SS' : format}]`,
  );
  const inRange = (ms: number) => (ms >= MIN_TIMESTAMP_MS && ms < END_TIMESTAMP_MS ? ms : invalid);
  if (format === 'epochmillisecs' || format === 'epochsecs') {
    const scale = format === 'epochsecs' ? 1000 : 1;
    return (value) => {
      if (typeof value === 'number') return inRange(value * scale);
      if (value === null || value === undefined) return null;
      if (typeof value !== 'string') return invalid;
      if (DIGITS.test(value)) return inRange(Number(value) * scale);
      return isBlankText(value) ? null : invalid;
    };
  }
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') return invalid;
    if (isBlankText(value)) return null;
    const parsed = parseIsoTimestamp(value);
    if (!parsed) return invalid;
    return inRange(withZone ? parsed.wallMs - (parsed.offsetMinutes ?? 0) * 60_000 : parsed.wallMs);
  };
}

/** DATE from 'YYYY-MM-DD' strings (a time part is dropped), as days since 1970-01-01. */
export function dateConverter(): Converter {
  const invalid = new Rejection(LoadErrorCode.dateFormat, 'Invalid date format or value [YYYY-MM-DD]');
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') return invalid;
    if (isBlankText(value)) return null;
    const parsed = parseIsoTimestamp(value);
    return parsed ? Math.floor(parsed.wallMs / DAY_MS) : invalid;
  };
}
