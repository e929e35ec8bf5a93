import { CopySyntaxError } from './copy-syntax-error';
import { SqlTokenizer, type SqlToken } from './sql-tokenizer';
import { MAX_LOAD_ERRORS } from '../../lib/rules/limits';

export type CopyJsonFormat =
  | { readonly kind: 'auto' }
  | { readonly kind: 'auto ignorecase' }
  | { readonly kind: 'jsonpaths'; readonly uri: string }
  // Each record whole into one SUPER column (local/copy/super-noshred.ts).
  | { readonly kind: 'noshred' };

/** The TIMEFORMAT values the emulation implements; the last is Redshift's default. */
export const TIME_FORMATS = ['epochmillisecs', 'epochsecs', 'auto', 'YYYY-MM-DD HH:MI:SS'] as const;
export type CopyTimeFormat = (typeof TIME_FORMATS)[number];

/** A Redshift `COPY ... FROM 's3://...' FORMAT AS JSON ...` statement, as the emulation runs it. */
export interface CopyCommand {
  /** As written, unquoted, lower-cased; may be schema-qualified ('public.staging_events'). */
  readonly table: string;
  readonly columns?: readonly string[];
  /** 's3://bucket/prefix', or with MANIFEST 's3://bucket/path/to/manifest' */
  readonly from: string;
  /** MANIFEST: `from` is a manifest file listing the exact objects to load (see manifest.ts). */
  readonly manifest: boolean;
  readonly format: CopyJsonFormat;
  readonly timeFormat?: CopyTimeFormat;
  readonly maxError: number;
  readonly emptyAsNull: boolean;
  readonly blanksAsNull: boolean;
  readonly truncateColumns: boolean;
  /** ROUNDEC: round numbers to the column's scale instead of truncating (see number-converters.ts). */
  readonly roundDecimals: boolean;
  /** Set by ACCEPTINVCHARS: the character that replaces invalid UTF-8 ('?' by default). */
  readonly acceptInvChars?: string;
  readonly region?: string;
  /** IAM_ROLE's ARN, or 'default'. Credentials strings are never kept: they hold secrets. */
  readonly iamRole?: string;
}

const SUPPORTED =
  'FROM, IAM_ROLE, CREDENTIALS, REGION, FORMAT [AS] JSON, JSON, TIMEFORMAT, MAXERROR, EMPTYASNULL, ' +
  'BLANKSASNULL, TRUNCATECOLUMNS, ROUNDEC, COMPUPDATE, STATUPDATE, ACCEPTINVCHARS, MANIFEST';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Parses a Redshift COPY statement. Returns undefined when the statement is not a COPY; throws
 * CopySyntaxError for a COPY it cannot run exactly as Redshift would (an unsupported option is
 * never skipped silently).
 */
export function parseCopy(sql: string): CopyCommand | undefined {
  const tokens = new SqlTokenizer(sql);
  const first = tokens.peek();
  if (first?.kind !== 'word' || first.upper !== 'COPY') return undefined;
  return new CopyParser(tokens).parse();
}

class CopyParser {
  private readonly seen = new Set<string>();

  constructor(private readonly tokens: SqlTokenizer) {}

  parse(): CopyCommand {
    this.tokens.next(); // COPY
    const table = this.qualifiedName();
    const columns = this.columnList();
    this.keyword('FROM', `after the table name (COPY ${table} FROM 's3://...')`);
    const from = this.stringValue('FROM');
    if (!/^s3:\/\/[^/]+/i.test(from)) {
      throw new CopySyntaxError(`COPY ${table}: FROM '${from}' is not an s3:// URI; the emulation reads only s3://bucket/prefix`);
    }
    const command: Mutable<CopyCommand> = {
      table,
      from,
      manifest: false,
      format: { kind: 'auto' },
      maxError: 0,
      emptyAsNull: false,
      blanksAsNull: false,
      truncateColumns: false,
      roundDecimals: false,
    };
    if (columns) command.columns = columns;
    let hasFormat = false;
    for (let token = this.tokens.next(); token; token = this.tokens.next()) {
      if (token.kind === 'punct' && token.text === ';') {
        this.end(table);
        break;
      }
      if (token.kind !== 'word') throw this.unexpected(table, token);
      hasFormat = this.option(command, token.upper) || hasFormat;
    }
    if (!hasFormat) {
      throw new CopySyntaxError(
        `COPY ${table}: no FORMAT AS JSON given; the emulation loads only JSON (add FORMAT AS JSON 'auto' or a jsonpaths URI)`,
      );
    }
    return command;
  }

  /** Applies one option; true when it set the format. */
  private option(command: Mutable<CopyCommand>, name: string): boolean {
    const table = command.table;
    if (name === 'WITH' && this.peekWord() === 'CREDENTIALS') return this.option(command, this.wordToken().upper);
    this.once(table, name);
    switch (name) {
      case 'IAM_ROLE':
        if (this.peekWord() === 'DEFAULT') {
          this.tokens.next();
          command.iamRole = 'default';
        } else {
          command.iamRole = this.stringValue(name);
        }
        return false;
      case 'CREDENTIALS':
        this.optionalAs();
        this.stringValue(name);
        return false;
      case 'REGION':
        this.optionalAs();
        command.region = this.stringValue(name);
        return false;
      case 'FORMAT':
        this.optionalAs();
        if (this.peekWord() !== 'JSON') {
          const what = this.tokens.peek()?.text ?? 'nothing';
          throw new CopySyntaxError(`COPY ${table}: FORMAT ${what} is not supported; the emulation loads only FORMAT AS JSON`);
        }
        this.tokens.next();
        this.once(table, 'JSON');
        command.format = this.jsonFormat(table);
        return true;
      case 'JSON':
        this.once(table, 'FORMAT');
        command.format = this.jsonFormat(table);
        return true;
      case 'TIMEFORMAT':
        this.optionalAs();
        command.timeFormat = timeFormat(table, this.stringValue(name));
        return false;
      case 'MAXERROR':
        this.optionalAs();
        command.maxError = this.maxError(table);
        return false;
      case 'EMPTYASNULL':
        command.emptyAsNull = true;
        return false;
      case 'BLANKSASNULL':
        command.blanksAsNull = true;
        return false;
      case 'TRUNCATECOLUMNS':
        command.truncateColumns = true;
        return false;
      case 'ROUNDEC':
        command.roundDecimals = true;
        return false;
      case 'COMPUPDATE':
      case 'STATUPDATE':
        // Compression and statistics only: nothing to emulate, but the argument must be valid.
        this.onOff(table, name);
        return false;
      case 'ACCEPTINVCHARS':
        command.acceptInvChars = this.replacementChar(table);
        return false;
      case 'MANIFEST':
        command.manifest = true;
        return false;
      default:
        throw new CopySyntaxError(`COPY ${table}: option ${name} is not supported by the offline COPY emulation (supported: ${SUPPORTED})`);
    }
  }

  private jsonFormat(table: string): CopyJsonFormat {
    this.optionalAs();
    const token = this.tokens.peek();
    if (token?.kind !== 'string') {
      throw new CopySyntaxError(`COPY ${table}: JSON needs an argument: 'auto', 'auto ignorecase' or 's3://.../jsonpaths.json'`);
    }
    this.tokens.next();
    const arg = token.text.trim();
    const lower = arg.toLowerCase().replace(/\s+/g, ' ');
    if (lower === 'auto') return { kind: 'auto' };
    if (lower === 'auto ignorecase') return { kind: 'auto ignorecase' };
    if (lower === 'noshred') return { kind: 'noshred' };
    if (/^s3:\/\/[^/]+\/./i.test(arg)) return { kind: 'jsonpaths', uri: arg };
    throw new CopySyntaxError(`COPY ${table}: JSON '${arg}' is not supported; use 'auto', 'auto ignorecase' or an s3:// jsonpaths file`);
  }

  private maxError(table: string): number {
    const token = this.tokens.next();
    const value = token?.kind === 'number' && /^\d+$/.test(token.text) ? Number(token.text) : NaN;
    if (!(value >= 0 && value <= MAX_LOAD_ERRORS)) {
      throw new CopySyntaxError(
        `COPY ${table}: MAXERROR needs a whole number from 0 to ${MAX_LOAD_ERRORS}, got ${token?.text ?? 'nothing'}`,
      );
    }
    return value;
  }

  private onOff(table: string, name: string): void {
    const word = this.peekWord();
    if (word === undefined) return; // bare COMPUPDATE means ON
    if (['ON', 'OFF', 'TRUE', 'FALSE'].includes(word) || (name === 'COMPUPDATE' && word === 'PRESET')) {
      this.tokens.next();
      return;
    }
    if (isOptionName(word)) return;
    throw new CopySyntaxError(`COPY ${table}: ${name} takes ON or OFF, got ${word}`);
  }

  private replacementChar(table: string): string {
    this.optionalAs();
    const token = this.tokens.peek();
    if (token?.kind !== 'string') return '?';
    this.tokens.next();
    const code = token.text.charCodeAt(0);
    if (token.text.length !== 1 || code === 0 || code > 0x7f) {
      throw new CopySyntaxError(`COPY ${table}: ACCEPTINVCHARS needs one ASCII character, got '${token.text}'`);
    }
    return token.text;
  }

  private qualifiedName(): string {
    const parts = [this.identifier('a table name after COPY')];
    while (this.isPunct('.')) {
      this.tokens.next();
      parts.push(this.identifier('a name after the dot'));
    }
    return parts.join('.');
  }

  private columnList(): string[] | undefined {
    if (!this.isPunct('(')) return undefined;
    this.tokens.next();
    const columns: string[] = [];
    for (;;) {
      columns.push(this.identifier('a column name in the column list'));
      const token = this.tokens.next();
      if (token?.kind === 'punct' && token.text === ')') return columns;
      if (token?.kind !== 'punct' || token.text !== ',') {
        throw new CopySyntaxError(`COPY: expected ',' or ')' in the column list, got ${describeToken(token)}`);
      }
    }
  }

  /** Redshift folds identifiers to lower case, quoted or not. */
  private identifier(what: string): string {
    const token = this.tokens.next();
    if (token?.kind === 'word' || token?.kind === 'quoted') return token.text.toLowerCase();
    throw new CopySyntaxError(`COPY: expected ${what}, got ${describeToken(token)}`);
  }

  private keyword(word: string, where: string): void {
    const token = this.tokens.next();
    if (token?.kind !== 'word' || token.upper !== word) {
      throw new CopySyntaxError(`COPY: expected ${word} ${where}, got ${describeToken(token)}`);
    }
  }

  private stringValue(option: string): string {
    const token = this.tokens.next();
    if (token?.kind !== 'string') {
      throw new CopySyntaxError(`COPY: ${option} needs a quoted string, got ${describeToken(token)}`);
    }
    return token.text;
  }

  private optionalAs(): void {
    if (this.peekWord() === 'AS') this.tokens.next();
  }

  private once(table: string, name: string): void {
    if (this.seen.has(name)) throw new CopySyntaxError(`COPY ${table}: ${name} is given more than once`);
    this.seen.add(name);
  }

  private end(table: string): void {
    const token = this.tokens.peek();
    if (token !== undefined && !(token.kind === 'punct' && token.text === ';')) {
      throw new CopySyntaxError(`COPY ${table}: unexpected ${describeToken(token)} after the end of the statement`);
    }
  }

  private wordToken(): Extract<SqlToken, { kind: 'word' }> {
    return this.tokens.next() as Extract<SqlToken, { kind: 'word' }>;
  }

  private peekWord(): string | undefined {
    const token = this.tokens.peek();
    return token?.kind === 'word' ? token.upper : undefined;
  }

  private isPunct(text: string): boolean {
    const token = this.tokens.peek();
    return token?.kind === 'punct' && token.text === text;
  }

  private unexpected(table: string, token: SqlToken): CopySyntaxError {
    return new CopySyntaxError(`COPY ${table}: unexpected ${describeToken(token)} where an option was expected`);
  }
}

const OPTION_NAMES = new Set([
  'IAM_ROLE',
  'CREDENTIALS',
  'WITH',
  'REGION',
  'FORMAT',
  'JSON',
  'TIMEFORMAT',
  'MAXERROR',
  'EMPTYASNULL',
  'BLANKSASNULL',
  'TRUNCATECOLUMNS',
  'COMPUPDATE',
  'STATUPDATE',
  'ACCEPTINVCHARS',
  'MANIFEST',
]);

function isOptionName(word: string): boolean {
  return OPTION_NAMES.has(word);
}

function timeFormat(table: string, value: string): CopyTimeFormat {
  const lower = value.trim().toLowerCase();
  const found = TIME_FORMATS.find((format) => format.toLowerCase() === lower);
  if (found) return found;
  throw new CopySyntaxError(
    `COPY ${table}: TIMEFORMAT '${value}' is not supported by the emulation ` +
      `(supported: ${TIME_FORMATS.map((format) => `'${format}'`).join(', ')})`,
  );
}

function describeToken(token: SqlToken | undefined): string {
  if (!token) return 'the end of the statement';
  if (token.kind === 'string') return `'${token.text}'`;
  if (token.kind === 'quoted') return `"${token.text}"`;
  return token.text;
}
