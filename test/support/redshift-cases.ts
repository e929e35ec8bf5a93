/**
 * Constructs PostgreSQL runs and Redshift refuses (issue 12), each as a whole statement with the
 * construct on a known line: injected into a mart file, or given to `sparkify query`.
 */
export interface RefusedCase {
  readonly name: string;
  readonly sql: string;
  /** The 1-based line the refusal must name. */
  readonly line: number;
  /** What the refusal must name. */
  readonly construct: RegExp;
}

export const REFUSED: readonly RefusedCase[] = [
  {
    name: 'INSERT ... ON CONFLICT',
    sql: `-- injected\nINSERT INTO users (user_id, level)\nSELECT CAST(user_id AS INTEGER), level FROM staging_events WHERE user_id <> ''\nON CONFLICT (user_id) DO NOTHING;\n`,
    line: 4,
    construct: /ON CONFLICT/,
  },
  {
    name: 'RETURNING',
    sql: `-- injected\nINSERT INTO users (user_id, level)\nSELECT CAST(user_id AS INTEGER), level FROM staging_events WHERE user_id <> ''\nRETURNING user_id;\n`,
    line: 4,
    construct: /RETURNING/,
  },
  {
    name: 'SELECT DISTINCT ON',
    sql: `-- injected\nINSERT INTO users (user_id, level)\nSELECT DISTINCT ON (user_id)\n  CAST(user_id AS INTEGER), level\nFROM staging_events WHERE user_id <> '' ORDER BY user_id, ts DESC;\n`,
    line: 3,
    construct: /DISTINCT ON/,
  },
  {
    name: 'STRING_AGG',
    sql: `-- injected\nINSERT INTO users (user_id, first_name)\nSELECT CAST(user_id AS INTEGER),\n  STRING_AGG(first_name, ',')\nFROM staging_events WHERE user_id <> '' GROUP BY user_id;\n`,
    line: 4,
    construct: /STRING_AGG\(\)/,
  },
  {
    name: 'ARRAY_AGG',
    sql: `-- injected\nINSERT INTO users (user_id, first_name)\nSELECT CAST(user_id AS INTEGER),\n  CAST(ARRAY_AGG(first_name) AS VARCHAR)\nFROM staging_events WHERE user_id <> '' GROUP BY user_id;\n`,
    line: 4,
    construct: /ARRAY_AGG\(\)/,
  },
  {
    name: 'aggregate FILTER (WHERE ...)',
    sql: `-- injected\nINSERT INTO users (user_id, level)\nSELECT CAST(user_id AS INTEGER),\n  CAST(COUNT(*) FILTER (WHERE level = 'paid') AS VARCHAR)\nFROM staging_events WHERE user_id <> '' GROUP BY user_id;\n`,
    line: 4,
    construct: /FILTER \(WHERE/,
  },
  {
    name: 'generate_series in FROM',
    sql: `-- injected\nINSERT INTO users (user_id, level)\nSELECT g, 'free'\nFROM generate_series(1, 10) AS g;\n`,
    line: 4,
    construct: /GENERATE_SERIES\(\) in FROM/,
  },
  {
    name: 'LATERAL',
    sql: `-- injected\nINSERT INTO users (user_id, level)\nSELECT CAST(e.user_id AS INTEGER), x.level\nFROM staging_events AS e, LATERAL (SELECT s.level FROM staging_events AS s WHERE s.user_id = e.user_id LIMIT 1) AS x\nWHERE e.user_id <> '';\n`,
    line: 4,
    construct: /LATERAL/,
  },
  { name: 'CREATE INDEX', sql: `-- injected\n\nCREATE INDEX users_level ON users (level);\n`, line: 3, construct: /CREATE INDEX/ },
  {
    name: 'SERIAL',
    sql: `-- injected\nCREATE TABLE IF NOT EXISTS user_visits (\n  visit_id SERIAL,\n  user_id INTEGER\n);\n`,
    line: 3,
    construct: /SERIAL/,
  },
  {
    name: 'JSONB',
    sql: `-- injected\nCREATE TABLE IF NOT EXISTS user_docs (\n  user_id INTEGER,\n  doc JSONB\n);\n`,
    line: 4,
    construct: /JSONB/,
  },
  {
    name: 'an array type',
    sql: `-- injected\nCREATE TABLE IF NOT EXISTS user_tags (\n  user_id INTEGER,\n  tags VARCHAR(16)[]\n);\n`,
    line: 4,
    construct: /array type/,
  },
  { name: 'DO $$ ... $$', sql: `-- injected\nDO $$ BEGIN DELETE FROM users; END $$;\n`, line: 2, construct: /DO block/ },
  {
    name: 'ADD COLUMN IF NOT EXISTS',
    sql: `-- injected\nALTER TABLE users\n  ADD COLUMN IF NOT EXISTS age INTEGER;\n`,
    line: 3,
    construct: /ADD COLUMN IF NOT EXISTS/,
  },
  {
    name: 'VARCHAR(70000)',
    sql: `-- injected\nCREATE TABLE IF NOT EXISTS user_bios (\n  user_id INTEGER,\n  bio VARCHAR(70000)\n);\n`,
    line: 4,
    construct: /VARCHAR\(70000\)/,
  },
  {
    name: 'DISTSTYLE KEY without a DISTKEY',
    sql: `-- injected\nCREATE TABLE IF NOT EXISTS user_levels (\n  user_id INTEGER,\n  level VARCHAR(16)\n)\nDISTSTYLE KEY;\n`,
    line: 6,
    construct: /DISTSTYLE KEY without a DISTKEY/,
  },
  {
    name: 'a SORTKEY naming a missing column',
    sql: `-- injected\nCREATE TABLE IF NOT EXISTS user_levels (\n  user_id INTEGER,\n  level VARCHAR(16)\n) DISTSTYLE ALL\nSORTKEY (started_at);\n`,
    line: 6,
    construct: /SORTKEY naming started_at/,
  },
  {
    name: 'DISTSTYLE ALL with a DISTKEY',
    sql: `-- injected\nCREATE TABLE IF NOT EXISTS user_levels (\n  user_id INTEGER DISTKEY,\n  level VARCHAR(16)\n) DISTSTYLE ALL;\n`,
    line: 3,
    construct: /DISTSTYLE ALL with a DISTKEY/,
  },
];

/** Redshift SQL the gate must accept (whether PostgreSQL runs it offline is issue 12 item 2). */
export const ACCEPTED: Readonly<Record<string, string>> = {
  'LISTAGG ... WITHIN GROUP': "SELECT user_id, LISTAGG(song, ',') WITHIN GROUP (ORDER BY ts) FROM staging_events GROUP BY user_id",
  'LISTAGG(DISTINCT ...) WITHIN GROUP': "SELECT LISTAGG(DISTINCT song, ',') WITHIN GROUP (ORDER BY song) FROM staging_events",
  NVL2: 'SELECT NVL2(song, 1, 0), NVL(song, artist) FROM staging_events',
  DECODE: "SELECT DECODE(level, 'free', 0, 'paid', 1, -1) FROM users",
  'DATEADD, DATEDIFF, GETDATE': 'SELECT DATEADD(day, 7, start_time), DATEDIFF(hour, start_time, GETDATE()) FROM songplays',
  MEDIAN: 'SELECT MEDIAN(duration), PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY duration) FROM songs',
  'TOP n': 'SELECT TOP 10 title FROM songs ORDER BY duration DESC',
  QUALIFY: 'SELECT user_id, ts FROM staging_events\nQUALIFY ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) = 1',
  'APPROXIMATE COUNT(DISTINCT)': 'SELECT APPROXIMATE COUNT(DISTINCT user_id) FROM songplays',
  'CONVERT_TIMEZONE, CHARINDEX, LEN, SYSDATE':
    "SELECT CONVERT_TIMEZONE('UTC', 'US/Pacific', start_time), CHARINDEX('a', level), LEN(level), SYSDATE FROM songplays",
  'Redshift DDL': `CREATE TABLE IF NOT EXISTS t (
  id BIGINT IDENTITY(1, 1) ENCODE az64,
  name VARCHAR(256) ENCODE zstd DISTKEY,
  ts TIMESTAMP ENCODE raw
) BACKUP NO DISTSTYLE KEY COMPOUND SORTKEY (ts, id)`,
  'Redshift DDL, column keys': 'CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY(1, 1), v INTEGER SORTKEY) DISTSTYLE EVEN',
  'INTERLEAVED SORTKEY, DISTSTYLE AUTO': 'CREATE TABLE t (a INTEGER, b VARCHAR(MAX)) DISTSTYLE AUTO INTERLEAVED SORTKEY (a, b)',
  'window frame in ROWS':
    'SELECT SUM(duration) OVER (PARTITION BY artist_id ORDER BY year ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM songs',
};
