import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { trimStatement } from '../lib/plan/bind';
import { readSqlFiles, type SqlFiles } from '../lib/plan/sql-files';
import { sqlFile } from '../lib/plan/load-plan';
import { analystQueries, checkAnalystQuery, type AnalystQuery } from '../local/analyst-queries';
import { openEngine } from '../local/engine';
import { engineResult, formatResult, formatRows, formatTable, recordResult } from '../local/format-table';
import { usesSpatial } from '../local/redshift-gate/spatial';
import { actAs, identityOf, openWarehouse, type OpenWarehouse, type WarehouseIdentity } from '../local/warehouse';
import type { Output } from './process-output';
import { runStatement, type StatementCommand } from './run-statement';
import { placedGateError } from './sql-error';
import { HISTORY_SIZE, historyFile, readHistory, saveHistory } from './shell-history';
import { StatementBuffer, type CompleteStatement } from './statement-buffer';

export interface ShellOptions {
  readonly db: string;
  readonly write?: boolean;
  readonly wait: number;
}

/** Where the shell reads and prompts: the process's own streams, unless a caller gives others. */
export interface ShellStreams {
  readonly input: Readable & { readonly isTTY?: boolean };
  /** Prompts and line editing: the terminal (stdout, or stderr when stdout is redirected). */
  readonly terminal: Writable;
}

export const PROMPT = 'sparkify=> ';
/** Inside a statement that has not reached its `;`, as psql's `dbname->`. */
export const CONTINUATION_PROMPT = 'sparkify-> ';

const SHELL_COMMAND: StatementCommand = { name: 'shell', writeFix: "quit and start 'sparkify shell --write'" };

const HELP = [
  'Statements end with ; and may span lines. A line that is just a named query\'s name runs it ("headline").',
  '  \\d              list the tables and views you can read',
  '  \\d TABLE        its columns, types, encodings, dist and sort keys, as PG_TABLE_DEF shows them',
  '  \\l              list the named queries of sql/queries/',
  '  \\timing [on|off] show how long each statement takes',
  '  \\?              this help',
  '  \\q              quit (or Ctrl-D)',
  'Ctrl-C clears the statement being typed, or cancels the one running. Tab completes names.',
].join('\n');

/**
 * `sparkify shell`: one session on the offline warehouse for many statements, as psql and
 * DuckDB give. The warehouse is opened once, as `sparkify query` opens it (a reader's copy, or the
 * writer's lock with --write) and held until the shell ends; every statement passes the same
 * Redshift gate and runs as the same identity as `query`'s (the analyst, --write the loader).
 * With a terminal on stdin it prompts, edits lines, keeps history and completes names; otherwise
 * it runs the statements of stdin in order and stops at the first that fails (exit 1), as
 * `psql -v ON_ERROR_STOP=1` does. Resolves to the exit code.
 */
export async function shellCommand(
  options: ShellOptions,
  io: Output,
  describeError: (error: unknown) => string,
  streams: ShellStreams = processStreams(),
): Promise<number> {
  const files = readSqlFiles();
  const session = await ShellSession.open(options, io);
  const interactive = streams.input.isTTY === true;
  try {
    const shell = new Shell(session, files, io, describeError, interactive);
    return interactive ? await shell.interact(streams) : await shell.runScript(streams.input);
  } finally {
    await session.close();
  }
}

function processStreams(): ShellStreams {
  return { input: process.stdin, terminal: process.stdout.isTTY ? process.stdout : process.stderr };
}

/** The open warehouse and who the session acts as. */
class ShellSession {
  private spatial = false;
  /** A server's backend, which Ctrl-C cancels from a connection of its own. */
  private backendPid: number | undefined;

  private constructor(
    private readonly options: ShellOptions,
    private readonly io: Output,
    private warehouse: OpenWarehouse,
    readonly who: WarehouseIdentity,
  ) {}

  static async open(options: ShellOptions, io: Output, spatial = false): Promise<ShellSession> {
    const who: WarehouseIdentity = options.write ? 'loader' : 'analyst';
    const warehouse = await openShellWarehouse(options, io, spatial);
    const session = new ShellSession(options, io, warehouse, who);
    session.spatial = spatial;
    await session.prepare();
    return session;
  }

  get engine() {
    return this.warehouse.engine;
  }

  /** Where the warehouse is, as the user named it (a reader's engine runs on a copy). */
  get location(): string {
    return this.engine.kind === 'pglite' ? path.resolve(this.options.db) : this.engine.location;
  }

  /**
   * Makes the session ready for `sql`: Redshift's spatial SQL needs PostGIS, which `sparkify query`
   * installs when it opens for such SQL; the shell opened before it knew, so it opens again, as
   * query would have (what the session SET or created temporarily is gone).
   */
  async readyFor(sql: string): Promise<void> {
    if (this.spatial || !usesSpatial(sql)) return;
    // Installed: a server has it loaded, and a PGlite folder that has it loads it when it opens (local/engine.ts).
    const { rows } = await this.engine.query("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'postgis'");
    if (rows.length > 0) {
      this.spatial = true;
      return;
    }
    this.io.err('opening the warehouse again with the spatial engine (PostGIS) for this statement; SET and temporary tables are reset');
    await this.warehouse.close();
    this.warehouse = await openShellWarehouse(this.options, this.io, true);
    this.spatial = true;
    await this.prepare();
  }

  /** Asks a server to stop the running statement (pg_cancel_backend); PGlite cannot stop one midway. */
  async cancel(): Promise<boolean> {
    if (this.backendPid === undefined) return false;
    const other = await openEngine(this.options.db);
    try {
      await other.query('SELECT pg_cancel_backend($1)', [this.backendPid]);
    } finally {
      await other.close();
    }
    return true;
  }

  async close(): Promise<void> {
    await this.warehouse.close();
  }

  private async prepare(): Promise<void> {
    try {
      // SPEC §6: as `sparkify query`, the analyst (read-only role), --write the loader; never the superuser.
      await actAs(this.engine, this.who);
      if (this.engine.kind === 'postgres') {
        const { rows } = await this.engine.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        this.backendPid = rows[0]?.pid;
      }
    } catch (error) {
      await this.warehouse.close();
      throw error;
    }
  }
}

function openShellWarehouse(options: ShellOptions, io: Output, spatial: boolean): Promise<OpenWarehouse> {
  return openWarehouse(options.db, {
    access: options.write ? 'write' : 'read',
    activity: 'shell --write',
    waitMs: options.wait * 1000,
    notice: io.err,
    spatial,
    // A session left open reads a copy: in place, it would keep every load and query waiting (local/warehouse.ts).
    inPlace: false,
  });
}

/** What a line did: go on, stop the shell, or a statement failed. */
type Outcome = 'ok' | 'failed' | 'quit';

class Shell {
  private readonly buffer = new StatementBuffer();
  private readonly queries: readonly AnalystQuery[];
  private timing = false;
  /** The statement running, and whether Ctrl-C asked to cancel it. */
  private running: { cancelled: boolean } | undefined;
  /** Table names for completion, from \d's list. */
  private tables: string[] = [];

  constructor(
    private readonly session: ShellSession,
    private readonly files: SqlFiles,
    private readonly io: Output,
    private readonly describeError: (error: unknown) => string,
    private readonly interactive: boolean,
  ) {
    this.queries = analystQueries(files);
  }

  /** Reads statements from a terminal until \q or Ctrl-D. */
  async interact(streams: ShellStreams): Promise<number> {
    const file = historyFile();
    const rl = createInterface({
      input: streams.input,
      output: streams.terminal,
      terminal: true,
      prompt: PROMPT,
      history: readHistory(file),
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      completer: (line: string) => this.complete(line),
    });
    try {
      return await this.prompting(rl, streams.terminal, file);
    } finally {
      rl.close();
    }
  }

  private async prompting(rl: Interface, terminal: Writable, file: string | undefined): Promise<number> {
    let historyWarned = false;
    rl.on('history', (history: string[]) => {
      if (!file) return;
      try {
        saveHistory(file, history);
      } catch (error) {
        if (historyWarned) return;
        historyWarned = true;
        this.io.err(
          `warning: the history is not saved to ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
            "set SPARKIFY_HISTORY to a file of yours, or to '' for none",
        );
      }
    });
    rl.on('SIGINT', () => this.interrupt(rl, terminal));
    const lines = lineQueue(rl);
    const identity = identityOf(this.session.who);
    const access = this.session.who === 'loader' ? 'writes as the loader; loads wait until you quit' : 'read-only';
    terminal.write(
      `sparkify shell: the offline warehouse at ${this.session.location}, as ${identity.user} (${access}).\n` +
        "Statements end with ;. Type a named query's name to run it, \\? for help, \\q to quit.\n",
    );
    this.tables = await this.relationNames().catch(() => []);
    for (;;) {
      rl.setPrompt(this.buffer.pending ? CONTINUATION_PROMPT : PROMPT);
      rl.prompt();
      const next = await lines.next();
      if (!next) {
        terminal.write('\n');
        return 0;
      }
      if ((await this.line(next.text, next.number)) === 'quit') return 0;
    }
  }

  /** Runs the statements of a script (stdin not a terminal), stopping at the first that fails. */
  async runScript(input: Readable): Promise<number> {
    const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    const lines = lineQueue(rl);
    try {
      for (;;) {
        const next = await lines.next();
        if (!next) break;
        const outcome = await this.line(next.text, next.number);
        if (outcome === 'quit') return 0;
        if (outcome === 'failed') return 1;
      }
      // A last statement without its `;` runs too, as psql runs it.
      const rest = this.buffer.rest();
      return rest && (await this.statement(rest)) === 'failed' ? 1 : 0;
    } finally {
      rl.close();
    }
  }

  /** One line of input: a backslash command, a named query's name, or SQL. */
  private async line(text: string, number: number): Promise<Outcome> {
    const trimmed = text.trim();
    if (trimmed.startsWith('\\') && !this.buffer.open) return this.command(trimmed);
    const named = this.buffer.pending ? undefined : this.queries.find((query) => query.name === trimmed.replace(/\s*;$/, ''));
    if (named) return this.run(named);
    for (const statement of this.buffer.add(text, number)) {
      const outcome = await this.statement(statement);
      if (outcome !== 'ok') {
        this.buffer.clear();
        return outcome;
      }
    }
    return 'ok';
  }

  private statement(statement: CompleteStatement): Promise<Outcome> {
    // A script's refusals point into stdin (stdin:12:8); a typed statement's into itself (query:1:8).
    const file = this.interactive ? 'query' : 'stdin';
    const source = this.interactive
      ? statement.text
      : `${'\n'.repeat(statement.line - 1)}${' '.repeat(statement.column - 1)}${statement.text}`;
    return this.run({ name: 'sql', description: '', sql: trimStatement(statement.text), source, file }, statement.line);
  }

  /** Runs one query through the gate, as the session's identity, and prints its rows. */
  private async run(query: AnalystQuery, line?: number): Promise<Outcome> {
    const began = performance.now();
    const running = { cancelled: false };
    this.running = running;
    try {
      // The same gate as `sparkify query`: what Redshift would refuse never runs offline.
      await checkAnalystQuery(query).catch((error: unknown) => {
        throw placedGateError(error, query);
      });
      await this.session.readyFor(query.sql);
      const answer = await runStatement(this.session.engine, this.session.who, query, SHELL_COMMAND);
      const ms = performance.now() - began;
      if (await this.cancelled(running)) return 'ok';
      const result = engineResult(answer);
      this.io.out(formatRows(result));
      this.time(ms);
      return 'ok';
    } catch (error) {
      this.io.err(this.describeError(error));
      if (!this.interactive && line !== undefined)
        this.io.err(`stdin:${line}: this statement failed; the statements after it were not run`);
      return 'failed';
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Whether Ctrl-C asked to cancel the statement that just ended. PGlite runs a statement on this
   * thread, so a key pressed meanwhile is read only after it ends: the event loop polls the terminal
   * between two turns of its check phase, so the shell waits for two.
   */
  private async cancelled(running: { cancelled: boolean }): Promise<boolean> {
    if (this.interactive) {
      await nextTurn();
      await nextTurn();
    }
    if (!running.cancelled) return false;
    // A server's statement that ended before the cancel reached it ran whole, as PGlite's always does.
    const why = this.session.engine.kind === 'pglite' ? 'PGlite cannot stop a statement midway, so it ran to its end' : 'it had ended';
    const what = this.session.who === 'loader' ? 'what it changed stands (ROLLBACK undoes it only inside BEGIN)' : 'its rows are not shown';
    this.io.err(`canceled: ${why}; ${what}`);
    return true;
  }

  private time(ms: number): void {
    if (this.timing) this.io.out(`Time: ${ms.toFixed(3)} ms`);
  }

  /** A backslash command, psql's where there is one. */
  private async command(text: string): Promise<Outcome> {
    const [name = '', ...args] = text.split(/\s+/);
    const began = performance.now();
    switch (name) {
      case '\\q':
        return 'quit';
      case '\\?':
        this.io.out(HELP);
        return 'ok';
      case '\\l':
        this.io.out(formatTable(this.queries.map(({ name: query, description }) => ({ name: query, description }))));
        return 'ok';
      case '\\timing': {
        const setting = args[0]?.toLowerCase();
        if (setting !== undefined && setting !== 'on' && setting !== 'off') {
          this.io.err(`\\timing: expected on or off, not "${args[0]}"`);
          return 'failed';
        }
        this.timing = setting === undefined ? !this.timing : setting === 'on';
        this.io.out(`Timing is ${this.timing ? 'on' : 'off'}.`);
        return 'ok';
      }
      case '\\d':
        try {
          this.io.out(args.length === 0 ? await this.listRelations() : await this.describeTable(args.join(' ')));
          this.time(performance.now() - began);
          return 'ok';
        } catch (error) {
          this.io.err(this.describeError(error));
          return 'failed';
        }
      default:
        this.io.err(`invalid command ${name}: try \\? for help`);
        return 'failed';
    }
  }

  private async listRelations(): Promise<string> {
    const { rows } = await this.catalog('shell/relations.sql', []);
    this.tables = rows.map((row) => String(row.name));
    return rows.length === 0 ? 'No tables you can read.' : formatResult(recordResult(rows));
  }

  private async relationNames(): Promise<string[]> {
    return (await this.catalog('shell/relations.sql', [])).rows.map((row) => String(row.name));
  }

  private async describeTable(given: string): Promise<string> {
    const name = relationName(given);
    if (!name) return `\\d ${given}: give a table's name, as in \\d songplays or \\d public.songplays`;
    const { rows } = await this.catalog('shell/table_definition.sql', [name.table, name.schema ?? null]);
    const first = rows[0];
    if (!first) {
      return `No table named ${given} on the search path: \\d lists the tables and views you can read (PG_TABLE_DEF describes tables, not views).`;
    }
    const columns = ['column', 'type', 'encoding', 'distkey', 'sortkey', 'notnull'];
    return `Table ${String(first.schemaname)}.${name.table}  DISTSTYLE ${String(first.diststyle)}\n${formatTable(rows, columns)}`;
  }

  /** A catalog query of sql/shell/, run as the session's identity (the twin's own SQL, not through the gate). */
  private async catalog(file: string, params: readonly unknown[]) {
    return this.session.engine.query<Record<string, unknown>>(trimStatement(sqlFile(this.files, file, 'sparkify shell')), params);
  }

  /** Ctrl-C: cancels the running statement, or clears what is being typed (psql's query buffer). */
  private interrupt(rl: Interface, terminal: Writable): void {
    if (this.running) {
      this.running.cancelled = true;
      void this.session.cancel().catch(() => undefined);
      return;
    }
    this.buffer.clear();
    // Move to the end of the line and delete it: readline has no call that empties its line.
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    terminal.write('^C\n');
    rl.setPrompt(PROMPT);
    rl.prompt();
  }

  /** Tab completion of the last word: named queries, tables and backslash commands. */
  private complete(line: string): [string[], string] {
    const word = /[\\\w.]*$/.exec(line)?.[0] ?? '';
    const candidates = word.startsWith('\\')
      ? ['\\d', '\\l', '\\timing', '\\?', '\\q']
      : [...this.queries.map((query) => query.name), ...this.tables];
    const hits = candidates.filter((candidate) => candidate.startsWith(word));
    return [hits.length > 0 ? [...new Set(hits)].sort() : [], word];
  }
}

/** `\d` NAME's table and schema: an unquoted name folds to lower case, as Redshift folds it; "quoted" keeps its case. */
export function relationName(given: string): { readonly schema?: string; readonly table: string } | undefined {
  const part = String.raw`("(?:[^"]|"")+"|[^."\s]+)`;
  const match = new RegExp(String.raw`^(?:${part}\.)?${part}$`).exec(given.trim());
  if (!match?.[2]) return undefined;
  const unquote = (text: string) => (text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase());
  return { ...(match[1] ? { schema: unquote(match[1]) } : {}), table: unquote(match[2]) };
}

/** The lines of a readline interface, numbered from 1, one at a time; undefined once it closes. */
function lineQueue(rl: Interface): { next(): Promise<{ readonly text: string; readonly number: number } | undefined> } {
  const waiting: { readonly text: string; readonly number: number }[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let count = 0;
  rl.on('line', (text: string) => {
    count += 1;
    waiting.push({ text, number: count });
    wake?.();
  });
  rl.on('close', () => {
    closed = true;
    wake?.();
  });
  return {
    async next() {
      while (waiting.length === 0 && !closed) await new Promise<void>((resolve) => (wake = resolve));
      return waiting.shift();
    },
  };
}
