// What Redshift offers instead of a refused construct, where it offers something: each from the
// Redshift page named beside it.
export const INSTEAD: Readonly<Record<string, string>> = {
  // https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html
  string_agg: 'LISTAGG(expression, delimiter) WITHIN GROUP (ORDER BY ...)',
  array_agg: 'LISTAGG(expression, delimiter) WITHIN GROUP (ORDER BY ...)',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_GETDATE.html, r_SYSDATE.html
  now: 'GETDATE() or SYSDATE',
  current_timestamp: 'GETDATE() or SYSDATE',
  localtimestamp: 'GETDATE() or SYSDATE',
  transaction_timestamp: 'SYSDATE (the start of the transaction)',
  clock_timestamp: 'GETDATE()',
  statement_timestamp: 'GETDATE()',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_DATEDIFF_function.html, r_DATEADD_function.html
  age: 'DATEDIFF(datepart, start, end)',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_bool_and.html
  every: 'BOOL_AND(expression)',
  generate_series: 'a numbers table or a CTE of the integers you need',
  unnest: 'SPLIT_PART on a delimited string, or a numbers table',
  string_to_array: 'SPLIT_PART(string, delimiter, n) or SPLIT_TO_ARRAY (SUPER)',
  concat_ws: 'the || operator',
  format: 'the || operator and TO_CHAR',
  regexp_matches: 'REGEXP_SUBSTR(string, pattern, position, occurrence)',
  div: 'integer division with /',
  // https://docs.aws.amazon.com/redshift/latest/dg/c_Supported_data_types.html
  jsonb: 'SUPER (with JSON_PARSE)',
  json: 'SUPER (with JSON_PARSE), or VARCHAR with JSON_EXTRACT_PATH_TEXT',
  serial: 'INTEGER IDENTITY(1, 1)',
  serial4: 'INTEGER IDENTITY(1, 1)',
  bigserial: 'BIGINT IDENTITY(1, 1)',
  serial8: 'BIGINT IDENTITY(1, 1)',
  smallserial: 'SMALLINT IDENTITY(1, 1)',
  bytea: 'VARBYTE',
  uuid: 'CHAR(36)',
  money: 'DECIMAL(p, s)',
  array: 'SUPER (with JSON_PARSE or SPLIT_TO_ARRAY)',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_MERGE.html
  'ON CONFLICT': 'MERGE, or DELETE then INSERT in the same transaction',
  RETURNING: 'a SELECT of the rows after the statement, in the same transaction',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_QUALIFY_clause.html
  'DISTINCT ON': 'ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) with QUALIFY ... = 1',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CASE_function.html
  FILTER: 'CASE WHEN condition THEN value END inside the aggregate',
  'IS DISTINCT FROM': 'a comparison with explicit IS NULL tests (or NVL on both sides)',
  LATERAL: 'a join to a subquery grouped by the key, or a window function',
  'VALUES table': 'SELECT ... UNION ALL SELECT ...',
  // https://docs.aws.amazon.com/redshift/latest/dg/c_best-practices-sort-key.html
  IndexStmt: 'a SORTKEY (and DISTKEY) in the table DDL',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_PROCEDURE.html
  DoStmt: 'CREATE PROCEDURE ... LANGUAGE plpgsql, then CALL',
  CreateSeqStmt: 'an IDENTITY column',
  'ADD COLUMN IF NOT EXISTS': 'ADD COLUMN, after checking SVV_COLUMNS',
  // https://docs.aws.amazon.com/redshift/latest/dg/r_WF_ROW_NUMBER.html (ORDER BY in a window)
  'window NULLS': 'an ORDER BY on CASE WHEN expression IS NULL THEN 1 ELSE 0 END first (Redshift sorts NULLs as the highest values)',
  'window frame': 'ROWS BETWEEN ... AND ...',
  'aggregate ORDER BY': 'LISTAGG ... WITHIN GROUP (ORDER BY ...)',
  A_ArrayExpr: 'SUPER (with JSON_PARSE or SPLIT_TO_ARRAY)',
  // https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions_leader_node_only.html
  'leader node': 'a separate query that reads no table, or only catalog (PG_) tables',
  RangeFunction: 'a numbers table or a subquery',
};
