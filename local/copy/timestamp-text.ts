/** Timestamps COPY reads (epoch numbers, ISO-like strings) and the text PostgreSQL reads back. */

/** 0001-01-01 00:00:00 UTC and the end of 9999-12-31, in epoch milliseconds: the range loaded. */
export const MIN_TIMESTAMP_MS = -62135596800000;
export const END_TIMESTAMP_MS = 253402300800000;
const DAY_MS = 86_400_000;

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * Formats epoch milliseconds as 'YYYY-MM-DD HH:MI:SS.mmm' (UTC), or undefined when out of range.
 * Keeps the date part of the last day it formatted: log events come in time order, so most
 * calls only do the arithmetic for the time of day.
 */
export class EpochFormatter {
  private day = NaN;
  private dayText = '';

  format(ms: number): string | undefined {
    if (!(ms >= MIN_TIMESTAMP_MS && ms < END_TIMESTAMP_MS)) return undefined;
    if (!Number.isInteger(ms)) return this.formatMicros(Math.round(ms * 1000));
    const day = Math.floor(ms / DAY_MS);
    let rest = ms - day * DAY_MS;
    if (day !== this.day) {
      this.day = day;
      this.dayText = `${new Date(day * DAY_MS).toISOString().slice(0, 10)} `;
    }
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    return `${this.dayText}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}`;
  }

  private formatMicros(micros: number): string {
    const ms = Math.floor(micros / 1000);
    const base = this.format(ms) as string;
    return `${base}${THREE_DIGITS[micros - ms * 1000]}`;
  }
}

const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export interface ParsedTimestamp {
  /** The wall-clock time as written, read as UTC, in epoch milliseconds (fraction = microseconds). */
  readonly wallMs: number;
  /** Minutes east of UTC the text gave, or undefined when it gave no zone. */
  readonly offsetMinutes: number | undefined;
}

/** Parses 'YYYY-MM-DD[( |T)HH:MI[:SS[.fff]]][Z|±HH[:MI]]', checking that the date exists. */
export function parseIsoTimestamp(text: string): ParsedTimestamp | undefined {
  const match = ISO_LIKE.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = match as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const offsetMinutes = zone === undefined ? undefined : zoneMinutes(zone);
  if (zone !== undefined && offsetMinutes === undefined) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0-99 as 19xx
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const micros = fraction ? Math.round(Number(`0${fraction}`) * 1e6) : 0;
  return { wallMs: date.getTime() + micros / 1000, offsetMinutes };
}

/** 'YYYY-MM-DD' for a count of days since 1970-01-01. */
export function formatEpochDay(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

function zoneMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 15 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
