import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lib/config/warehouse-config';
import { PlanError } from '../../lib/plan/bind';
import { GATE_MANIFEST_FILE, readGateManifest } from '../../lib/plan/gate-manifest';
import { buildLoadPlan, planFingerprint } from '../../lib/plan/load-plan';
import { readSqlFiles, type SqlFiles } from '../../lib/plan/sql-files';
import { STAR_TABLES } from '../../lib/rules/tables';

const files = readSqlFiles();
const input = { settings: DEFAULT_CONFIG, roleArn: 'arn:aws:iam::123456789012:role/sparkify-read', loadId: 'load-1' };
const manifest = JSON.parse(files.get(GATE_MANIFEST_FILE) as string) as { tables: Record<string, Record<string, unknown>> };

/** The plan's files with the manifest's tables edited. */
function withTables(edit: (tables: Record<string, Record<string, unknown>>) => void): SqlFiles {
  const tables = structuredClone(manifest.tables);
  edit(tables);
  return new Map(files).set(GATE_MANIFEST_FILE, JSON.stringify({ tables }));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The plan's gates, their SQL on one line: tests match words, not the templates' layout. */
const gates = (sqlFiles: SqlFiles) =>
  buildLoadPlan(sqlFiles, input)
    .steps.filter((step) => step.kind === 'gate')
    .map((step) => ({ ...step, sql: step.sql.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')') }));

describe('the gate manifest (sql/gates/manifest.json)', () => {
  it("declares SPEC §4's facts: each star table's key, songplays' references, and start_time never NULL", () => {
    const declared = readGateManifest(files);
    expect(Object.fromEntries(declared.map(({ table, key }) => [table, key]))).toEqual({
      songplays: 'songplay_id',
      users: 'user_id',
      songs: 'song_id',
      artists: 'artist_id',
      time: 'start_time',
    });
    const songplays = declared.find(({ table }) => table === 'songplays');
    expect(songplays?.references).toEqual([
      { column: 'start_time', target: 'time' },
      { column: 'user_id', target: 'users' },
      { column: 'song_id', target: 'songs' },
      { column: 'artist_id', target: 'artists' },
    ]);
    expect(songplays?.notNull).toEqual(['start_time']);
    expect(declared.filter(({ references }) => references.length > 0).map(({ table }) => table)).toEqual(['songplays']);
  });

  it('gives the plan its gates in name order: those the manifest declares, and the ones written by hand', () => {
    expect(gates(files).map((gate) => [gate.name, gate.file])).toEqual([
      ['gate.keys_not_null_and_unique', 'gates/manifest.json'],
      ['gate.songplays_references_resolve', 'gates/manifest.json'],
      ['gate.staging_rows_match_records_read', 'gates/staging_rows_match_records_read.sql'],
      ['gate.star_tables_not_empty', 'gates/manifest.json'],
    ]);
  });

  it('checks every star table in one UNION ALL per kind, with no comment left to swallow what wraps the query', () => {
    const byName = new Map(gates(files).map((gate) => [gate.name, gate.sql]));
    for (const table of STAR_TABLES) {
      expect(byName.get('gate.star_tables_not_empty')).toContain(`FROM ${table} LIMIT 1`);
      expect(byName.get('gate.keys_not_null_and_unique')).toContain(`FROM ${table} AS t GROUP BY`);
    }
    expect(byName.get('gate.keys_not_null_and_unique')?.split('UNION ALL')).toHaveLength(STAR_TABLES.length);
    expect(byName.get('gate.songplays_references_resolve')?.split('UNION ALL')).toHaveLength(4);
    for (const gate of gates(files)) if (gate.file === GATE_MANIFEST_FILE) expect(gate.sql).not.toMatch(/--/);
  });

  it("scopes an incremental load's key and reference gates to the staged window of the tables it appends to", () => {
    const incremental = buildLoadPlan(files, {
      ...input,
      mode: {
        kind: 'incremental',
        manifestUri: 's3://manifests-bucket/loads/x/events.manifest',
        filesUri: 's3://manifests-bucket/loads/x/files.jsonl',
      },
    }).steps.filter((step) => step.kind === 'gate');
    const keys = incremental.find((gate) => gate.name === 'gate.keys_not_null_and_unique')?.sql.replace(/\s+/g, ' ') ?? '';
    const window = 'start_time IS NULL OR start_time BETWEEN (SELECT MIN(ts) FROM staging_events) AND (SELECT MAX(ts) FROM staging_events)';
    // Each window is a WITH query of the gate, read once however many checks use it.
    expect(keys).toMatch(
      new RegExp(
        `^WITH songplays_window AS \\(SELECT \\* FROM songplays WHERE ${escape(window)}\\), time_window AS \\(SELECT \\* FROM time WHERE ${escape(window)}\\) SELECT`,
      ),
    );
    expect(keys).toContain('FROM songplays_window AS t GROUP BY songplay_id');
    expect(keys).toContain('FROM time_window AS t GROUP BY start_time');
    expect(keys).toContain('FROM users AS t GROUP BY user_id');
    const references = incremental.find((gate) => gate.name === 'gate.songplays_references_resolve')?.sql.replace(/\s+/g, ' ') ?? '';
    expect(references.split('FROM songplays_window AS f')).toHaveLength(5);
    // songplays.start_time can only name a time row of the same window; the other dimensions are read whole.
    expect(references).toContain('LEFT JOIN time_window AS d ON d.start_time = f.start_time');
    expect(references).toContain('LEFT JOIN users AS d ON d.user_id = f.user_id');
  });

  it('fails a NULL start_time as a missing time, and skips NULL user, song and artist ids', () => {
    const sql = gates(files).find((gate) => gate.name === 'gate.songplays_references_resolve')?.sql ?? '';
    const branch = (dimension: string) => sql.split('UNION ALL').find((part) => part.includes(`'${dimension}' AS dimension`)) ?? '';
    expect(branch('time')).toContain('(TRUE OR f.start_time IS NOT NULL)');
    for (const [dimension, column] of [
      ['users', 'user_id'],
      ['songs', 'song_id'],
      ['artists', 'artist_id'],
    ] as const)
      expect(branch(dimension)).toContain(`(FALSE OR f.${column} IS NOT NULL)`);
  });

  it('generates columns_not_null only for not-null columns no key or reference already checks', () => {
    expect(gates(files).some((gate) => gate.name === 'gate.columns_not_null')).toBe(false);
    const more = withTables((tables) => {
      tables['users'] = { ...tables['users'], not_null: ['user_id', 'level'] };
    });
    const gate = gates(more).find((step) => step.name === 'gate.columns_not_null');
    expect(gate?.file).toBe('gates/manifest.json');
    expect(gate?.sql).toContain("'users' AS table_name, 'level' AS column_name");
    expect(gate?.sql).not.toContain("'user_id' AS column_name");
  });

  it('is part of the fingerprint', () => {
    const edited = withTables((tables) => {
      tables['users'] = { ...tables['users'], not_null: ['level'] };
    });
    expect(planFingerprint(edited, DEFAULT_CONFIG)).not.toBe(planFingerprint(files, DEFAULT_CONFIG));
  });

  it.each<[string, SqlFiles, string]>([
    ['a missing manifest', new Map([...files].filter(([file]) => file !== GATE_MANIFEST_FILE)), 'sql/gates/manifest.json is missing'],
    ['a manifest that is not JSON', new Map(files).set(GATE_MANIFEST_FILE, '{ tables: }'), 'sql/gates/manifest.json: not valid JSON'],
    ['no tables', new Map(files).set(GATE_MANIFEST_FILE, '{}'), 'sql/gates/manifest.json: tables must be a JSON object'],
    [
      'a star table left out (it would go unchecked)',
      withTables((tables) => delete tables['time']),
      'declare each star table (songs, artists, users, songplays, time) once; time is missing',
    ],
    [
      'a table that is not a star table',
      withTables((tables) => (tables['staging_events'] = { key: 'ts' })),
      'staging_events is not a star table',
    ],
    [
      'a name that would break out of the SQL',
      withTables((tables) => (tables['users'] = { key: "user_id' OR 1=1 --" })),
      `tables.users.key = "user_id' OR 1=1 --": use a lower-case table or column name`,
    ],
    ['a key left out', withTables((tables) => (tables['songs'] = {})), 'tables.songs.key = undefined: use a lower-case'],
    [
      'a reference to a table it does not declare',
      withTables((tables) => (tables['songplays'] = { ...tables['songplays'], references: { session_id: 'sessions' } })),
      'tables.songplays.references.session_id = "sessions": name a table declared here',
    ],
    [
      'an unknown check',
      withTables((tables) => (tables['songs'] = { key: 'song_id', unique: ['title'] })),
      'tables.songs has unique: use only key, not_null, references',
    ],
  ])('refuses %s, naming the file and the fix', (_case, broken, message) => {
    expect(() => buildLoadPlan(broken, input)).toThrowError(PlanError);
    expect(() => buildLoadPlan(broken, input)).toThrowError(message);
  });

  it('refuses a hand-written gate named like a generated one', () => {
    const broken = new Map(files).set('gates/keys_not_null_and_unique.sql', 'SELECT 1 AS x WHERE 1 = 0');
    expect(() => buildLoadPlan(broken, input)).toThrowError(
      'sql/gates/keys_not_null_and_unique.sql: the gate gate.keys_not_null_and_unique is also generated from sql/gates/manifest.json',
    );
  });
});
