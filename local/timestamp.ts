/**
 * DATE and TIMESTAMP values as both engines give them and as Redshift prints them: one place for
 * reading the engines' text and for writing it back, for the query table, `--json`, the local Data
 * API and the conformance suite.
 *
 * Redshift's TIMESTAMP has no zone, its values are UTC, and it keeps microseconds
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_Datetime_types.html): a value is a Date holding
 * the UTC wall-clock time, plus the microseconds a Date cannot hold.
 */
export class UtcTimestamp extends Date {
  /** The microseconds past the Date's millisecond, 0 to 999. */
  readonly microsecond: number;

  constructor(time: number, microsecond = 0) {
    super(time);
    this.microsecond = microsecond;
  }
}

/** DateStyle ISO output: 'YYYY-MM-DD[ HH:MI:SS[.ffffff][±HH[:MI[:SS]]]][ BC]'. */
const ISO_DATE_TIME = /^(\d{4,})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?)?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/;

/** The date and time as written, read as UTC (less the offset when one is given); 'infinity' stays text. */
export function utcDate(text: string): UtcTimestamp | string {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om, os, bc] = m;
  const micros = (fraction ?? '').padEnd(6, '0');
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - Number(y) : Number(y), Number(mo) - 1, Number(d)); // not Date.UTC: it reads 0-99 as 19xx
  date.setUTCHours(Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), Number(micros.slice(0, 3)));
  let time = date.getTime();
  if (sign) {
    const offsetMs = ((Number(oh) * 60 + Number(om ?? 0)) * 60 + Number(os ?? 0)) * 1000;
    time -= sign === '-' ? -offsetMs : offsetMs;
  }
  return new UtcTimestamp(time, Number(micros.slice(3)));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The six fractional digits of a second: a plain Date's millisecond, and a UtcTimestamp's microsecond. */
function micros(date: Date): string {
  return `${pad(date.getUTCMilliseconds(), 3)}${pad(date instanceof UtcTimestamp ? date.microsecond : 0, 3)}`;
}

/** PostgreSQL's ' BC' for years before 1 (year 0 is 1 BC). */
function era(date: Date): string {
  return date.getUTCFullYear() > 0 ? '' : ' BC';
}

/** 'YYYY-MM-DD[ BC]' from the UTC fields. */
export function dateText(date: Date): string {
  const year = date.getUTCFullYear();
  return `${pad(year > 0 ? year : 1 - year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}${era(date)}`;
}

/**
 * 'YYYY-MM-DD HH:MI:SS[.ffffff][+00][ BC]' as Redshift prints it: fractional seconds only when
 * there are some, trailing zeros dropped; '+00' for a TIMESTAMPTZ (a session's zone is UTC,
 * https://docs.aws.amazon.com/redshift/latest/dg/r_timezone_config.html).
 */
export function timestampText(date: Date, withZone = false): string {
  const day = dateText(date).replace(/ BC$/, '');
  const fraction = micros(date).replace(/0+$/, '');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${fraction ? `.${fraction}` : ''}`;
  return `${day} ${time}${withZone ? '+00' : ''}${era(date)}`;
}

/** ISO 8601 in UTC, with microseconds when there are some below the millisecond: "2018-11-01T00:09:53.796123Z". */
export function isoText(date: Date): string | null {
  if (Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString();
  return date instanceof UtcTimestamp && date.microsecond ? iso.replace(/Z$/, `${pad(date.microsecond, 3)}Z`) : iso;
}
