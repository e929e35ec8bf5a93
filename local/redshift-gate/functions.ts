// The functions Redshift documents, by the pages of its SQL function reference
// (https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions.html). A call to any other name
// is refused; the PostgreSQL functions Redshift lists as unsupported are among those
// (https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-functions.html).
// Names are PostgreSQL's parse of them: EXTRACT, SUBSTRING, TRIM, POSITION and AT TIME ZONE
// arrive as calls to extract, substring, btrim/ltrim/rtrim, position and timezone.
const BY_PAGE: Readonly<Record<string, readonly string[]>> = {
  // https://docs.aws.amazon.com/redshift/latest/dg/c_Aggregate_Functions.html
  aggregate: [
    'any_value',
    'avg',
    'count',
    'listagg',
    'max',
    'median',
    'min',
    'percentile_cont',
    'percentile_disc',
    'stddev',
    'stddev_samp',
    'stddev_pop',
    'sum',
    'variance',
    'var_samp',
    'var_pop',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/c_bitwise_aggregate_functions.html
  bitwise: ['bit_and', 'bit_or', 'bool_and', 'bool_or'],
  // https://docs.aws.amazon.com/redshift/latest/dg/c_Window_functions.html
  window: [
    'cume_dist',
    'dense_rank',
    'first_value',
    'last_value',
    'lag',
    'lead',
    'nth_value',
    'ntile',
    'percent_rank',
    'rank',
    'ratio_to_report',
    'row_number',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/c_conditional_expressions.html (COALESCE, GREATEST, LEAST, NULLIF are syntax)
  conditional: ['decode', 'nvl', 'nvl2'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_Data_type_formatting.html
  formatting: ['to_char', 'to_date', 'to_number', 'text_to_int_alt', 'text_to_numeric_alt', 'convert'],
  // https://docs.aws.amazon.com/redshift/latest/dg/Date_functions_header.html (CURRENT_DATE and SYSDATE are syntax)
  date: [
    'add_months',
    'convert_timezone',
    'date_cmp',
    'date_cmp_timestamp',
    'date_cmp_timestamptz',
    'date_part_year',
    'dateadd',
    'datediff',
    'date_part',
    'date_trunc',
    'extract',
    'getdate',
    'interval_cmp',
    'last_day',
    'months_between',
    'next_day',
    'timeofday',
    'timestamp_cmp',
    'timestamp_cmp_date',
    'timestamp_cmp_timestamptz',
    'timestamptz_cmp',
    'timestamptz_cmp_date',
    'timestamptz_cmp_timestamp',
    'timezone',
    'to_timestamp',
    'trunc',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/hash-functions.html (MURMUR3_32_HASH; CRC32 is on the string page)
  hash: ['checksum', 'farmfingerprint64', 'func_sha1', 'fnv_hash', 'md5', 'murmur3_32_hash', 'sha', 'sha1', 'sha2'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_explain_model_function.html (Redshift ML)
  ml: ['explain_model'],
  // https://docs.aws.amazon.com/redshift/latest/dg/hyperloglog-functions.html
  hyperloglog: ['hll', 'hll_create_sketch', 'hll_cardinality', 'hll_combine', 'hll_combine_sketches'],
  // https://docs.aws.amazon.com/redshift/latest/dg/json-functions.html
  json: [
    'can_json_parse',
    'is_valid_json',
    'is_valid_json_array',
    'json_array_length',
    'json_extract_array_element_text',
    'json_extract_path_text',
    'json_parse',
    'json_serialize',
    'json_serialize_to_varbyte',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/Math_functions.html
  math: [
    'abs',
    'acos',
    'asin',
    'atan',
    'atan2',
    'cbrt',
    'ceiling',
    'ceil',
    'cos',
    'cot',
    'degrees',
    'dexp',
    'dlog1',
    'dlog10',
    'exp',
    'floor',
    'ln',
    'log',
    'mod',
    'pi',
    'power',
    'pow',
    'radians',
    'random',
    'round',
    'sin',
    'sign',
    'sqrt',
    'tan',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/String_functions_header.html
  string: [
    'ascii',
    'bpcharcmp',
    'btrim',
    'bttext_pattern_cmp',
    'char_length',
    'character_length',
    'charindex',
    'chr',
    'collate',
    'concat',
    'crc32',
    'difference',
    'initcap',
    'left',
    'right',
    'len',
    'length',
    'lower',
    'lpad',
    'rpad',
    'ltrim',
    'octetindex',
    'octet_length',
    'position',
    'quote_ident',
    'quote_literal',
    'regexp_count',
    'regexp_instr',
    'regexp_replace',
    'regexp_substr',
    'repeat',
    'replace',
    'replicate',
    'reverse',
    'rtrim',
    'soundex',
    'split_part',
    'strpos',
    'strtol',
    'substring',
    'substr',
    'textlen',
    'translate',
    'trim',
    'upper',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/varbyte-functions.html
  varbyte: ['from_hex', 'from_varbyte', 'getbit', 'to_hex', 'to_varbyte'],
  // https://docs.aws.amazon.com/redshift/latest/dg/c_Array_Functions.html (the ARRAY(...) constructor itself does not parse in PostgreSQL)
  array: [
    'array_concat',
    'array_contains',
    'array_distinct',
    'array_except',
    'array_flatten',
    'array_intersection',
    'array_position',
    'array_positions',
    'array_sort',
    'array_union',
    'arrays_overlap',
    'get_array_length',
    'split_to_array',
    'subarray',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/Object_Functions.html
  object: ['object'],
  // https://docs.aws.amazon.com/redshift/latest/dg/c_Type_Info_Functions.html (SUPER)
  super: [
    'decimal_precision',
    'decimal_scale',
    'is_array',
    'is_bigint',
    'is_boolean',
    'is_char',
    'is_decimal',
    'is_float',
    'is_integer',
    'is_object',
    'is_scalar',
    'is_smallint',
    'is_varchar',
    'json_size',
    'json_typeof',
    'size',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/geospatial-functions.html (the H3 functions listed there are
  // OFFLINE_FUNCTION_PREFIXES'; ST_GeoSquare and ST_GeomFromGeoSquare are on the page since the archived guide)
  spatial: [
    'addbbox',
    'dropbbox',
    'geometrytype',
    'st_addpoint',
    'st_angle',
    'st_area',
    'st_asbinary',
    'st_asewkb',
    'st_asewkt',
    'st_asgeojson',
    'st_ashexewkb',
    'st_ashexwkb',
    'st_astext',
    'st_azimuth',
    'st_boundary',
    'st_buffer',
    'st_centroid',
    'st_collect',
    'st_contains',
    'st_containsproperly',
    'st_convexhull',
    'st_coveredby',
    'st_covers',
    'st_crosses',
    'st_dwithin',
    'st_dimension',
    'st_disjoint',
    'st_distance',
    'st_distancesphere',
    'st_endpoint',
    'st_envelope',
    'st_equals',
    'st_exteriorring',
    'st_force2d',
    'st_force3d',
    'st_force3dm',
    'st_force3dz',
    'st_force4d',
    'st_geohash',
    'st_geogfromtext',
    'st_geogfromwkb',
    'st_geomfromewkb',
    'st_geomfromewkt',
    'st_geomfromgeohash',
    'st_geomfromgeojson',
    'st_geomfromgeosquare',
    'st_geomfromtext',
    'st_geomfromwkb',
    'st_geometryn',
    'st_geometrytype',
    'st_geosquare',
    'st_interiorringn',
    'st_intersection',
    'st_intersects',
    'st_isclosed',
    'st_iscollection',
    'st_isempty',
    'st_ispolygonccw',
    'st_ispolygoncw',
    'st_isring',
    'st_issimple',
    'st_isvalid',
    'st_length',
    'st_length2d',
    'st_lengthsphere',
    'st_linefrommultipoint',
    'st_lineinterpolatepoint',
    'st_m',
    'st_mmax',
    'st_mmin',
    'st_makeenvelope',
    'st_makeline',
    'st_makepoint',
    'st_makepolygon',
    'st_memsize',
    'st_multi',
    'st_ndims',
    'st_npoints',
    'st_nrings',
    'st_numgeometries',
    'st_numinteriorrings',
    'st_numpoints',
    'st_perimeter',
    'st_perimeter2d',
    'st_point',
    'st_pointn',
    'st_points',
    'st_polygon',
    'st_removepoint',
    'st_reverse',
    'st_srid',
    'st_setpoint',
    'st_setsrid',
    'st_simplify',
    'st_startpoint',
    'st_touches',
    'st_transform',
    'st_union',
    'st_within',
    'st_x',
    'st_xmax',
    'st_xmin',
    'st_y',
    'st_ymax',
    'st_ymin',
    'st_z',
    'st_zmax',
    'st_zmin',
    'supportsbbox',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_System_information_functions.html (CURRENT_USER, USER,
  // CURRENT_AWS_ACCOUNT and CURRENT_NAMESPACE are written without parentheses: syntax, not calls)
  system: [
    'current_database',
    'current_schema',
    'current_schemas',
    'current_user_id',
    'default_iam_role',
    'has_assumerole_privilege',
    'has_database_privilege',
    'has_schema_privilege',
    'has_table_privilege',
    'last_user_query_id',
    'pg_backend_pid',
    'pg_get_cols',
    'pg_get_grantee_by_iam_role',
    'pg_get_iam_role_by_user',
    'pg_get_late_binding_view_cols',
    'pg_get_session_roles',
    'pg_last_copy_count',
    'pg_last_copy_id',
    'pg_last_query_id',
    'pg_last_unload_count',
    'pg_last_unload_id',
    'role_is_member_of',
    'slice_num',
    'user_is_member_of',
    'version',
  ],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_System_administration_functions.html
  administration: [
    'change_query_priority',
    'change_session_priority',
    'change_user_priority',
    'current_setting',
    'pg_cancel_backend',
    'pg_terminate_backend',
    'set_config',
  ],
};

export const REDSHIFT_FUNCTIONS: ReadonlySet<string> = new Set(Object.values(BY_PAGE).flat());

/** SUPER's functions (arrays, OBJECT, type information, JSON_PARSE and JSON_SERIALIZE): local/prelude/super-functions.ts, docs/super.md. */
export const SUPER_FUNCTIONS: ReadonlySet<string> = new Set([
  ...(BY_PAGE.array ?? []),
  ...(BY_PAGE.object ?? []),
  ...(BY_PAGE.super ?? []),
  'json_parse',
  'json_serialize',
  'json_serialize_to_varbyte',
]);

/**
 * Leader-node-only functions (https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions_leader_node_only.html):
 * documented, so accepted, but only in a statement that reads no table of its own (the leader node
 * runs it alone); in one that does, Redshift "will return an error". The deprecated leader-node-only
 * date and string functions (NOW, AGE, ISFINITE, GET_BYTE, TO_ASCII ...) are not on the allowlist.
 */
export const LEADER_NODE_ONLY: ReadonlySet<string> = new Set([
  'current_schema',
  'current_schemas',
  'has_database_privilege',
  'has_schema_privilege',
  'has_table_privilege',
]);

/**
 * Redshift's spatial functions (GEOMETRY and GEOGRAPHY), which the twin runs on PostGIS with
 * Redshift's answers (local/prelude/spatial-functions.ts): an engine opened for SQL that names one
 * loads PostGIS first (local/redshift-gate/spatial.ts, local/spatial.ts).
 */
export const SPATIAL_FUNCTIONS: ReadonlySet<string> = new Set(BY_PAGE.spatial ?? []);

/**
 * Function families Redshift documents that the twin cannot run: H3 indexing needs Redshift's H3
 * library (https://docs.aws.amazon.com/redshift/latest/dg/h3-functions.html), which PostGIS lacks.
 */
export const OFFLINE_FUNCTION_PREFIXES: readonly { readonly prefix: string; readonly what: string }[] = [
  { prefix: 'h3_', what: 'an H3 spatial index function' },
];

const IAM_ROLES = 'run it on the cluster: IAM roles are attached to the cluster, not to the offline twin';

/**
 * Documented functions the offline twin does not run, with what to do instead: the gate refuses a
 * call as "<NAME> is Redshift SQL that the offline twin does not run; <what to do>", where
 * PostgreSQL would otherwise say "function ... does not exist" or answer differently.
 */
export const NOT_RUN_OFFLINE: ReadonlyMap<string, string> = new Map([
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CHECKSUM.html: the algorithm is not documented.
  ['checksum', 'compare values with FNV_HASH or MD5 offline, which the twin computes as Redshift does'],
  // https://docs.aws.amazon.com/redshift/latest/dg/hyperloglog-functions.html: HLLSKETCH has no PostgreSQL equivalent.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_explain_model_function.html: a model trained by Redshift ML.
  ['explain_model', 'run it on the cluster: Redshift ML models exist only there'],
  ['hll', 'COUNT(DISTINCT ...) for an exact count'],
  ['hll_create_sketch', 'COUNT(DISTINCT ...) for an exact count'],
  ['hll_cardinality', 'COUNT(DISTINCT ...) for an exact count'],
  ['hll_combine', 'COUNT(DISTINCT ...) for an exact count'],
  ['hll_combine_sketches', 'COUNT(DISTINCT ...) for an exact count'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_BPCHARCMP.html, r_BTTEXT_PATTERN_CMP.html: -1, 0
  // or 1, where PostgreSQL's same-name built-ins return any negative or positive number.
  ['bpcharcmp', 'CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END'],
  ['bttext_pattern_cmp', 'CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_WF_RATIO_TO_REPORT.html: a window function PostgreSQL lacks.
  ['ratio_to_report', 'x / SUM(x) OVER (PARTITION BY ...)'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_VERSION.html: the cluster's release ("Redshift 1.0.12103");
  // offline there is none, and PostgreSQL's own version() would answer for PostgreSQL.
  ['version', "run it on the cluster: the version is the cluster's Redshift release"],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_COLLATE.html: case_insensitive changes how values compare.
  ['collate', 'compare LOWER(string) for a case-insensitive match, or run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_System_information_functions.html: what only a
  // cluster keeps. IAM roles are the cluster's (r_DEFAULT_IAM_ROLE.html, r_HAS_ASSUMEROLE_PRIVILEGE.html,
  // PG_GET_IAM_ROLE_BY_USER.html, PG_GET_GRANTEE_BY_IAMROLE.html): the twin's COPY reads a local folder
  // and GRANT ASSUMEROLE is a no-op offline. PG_GET_SESSION_ROLES has no page in the archived guide.
  // The functions of the page that run offline: local/prelude/system-functions.ts.
  ['default_iam_role', IAM_ROLES],
  ['has_assumerole_privilege', IAM_ROLES],
  ['pg_get_grantee_by_iam_role', IAM_ROLES],
  ['pg_get_iam_role_by_user', IAM_ROLES],
  ['pg_get_session_roles', 'run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/ST_MemSize-function.html: "depends on the Amazon
  // Redshift internal representation of the geometry"; PostGIS's representation is another.
  ['st_memsize', 'ST_NPoints(geom) as a measure of relative size offline, or run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/ST_GeoSquare-function.html, ST_GeomFromGeoSquare-function.html:
  // Redshift's own square grid, which PostGIS does not have.
  ['st_geosquare', 'ST_GeoHash for a grid cell offline, or run it on the cluster'],
  ['st_geomfromgeosquare', 'ST_GeomFromGeoHash for a grid cell offline, or run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_System_administration_functions.html: workload
  // management (WLM queues and their priorities) and other sessions exist only on a cluster.
  ['change_query_priority', 'run it on the cluster: query priorities are its workload management'],
  ['change_session_priority', 'run it on the cluster: query priorities are its workload management'],
  ['change_user_priority', 'run it on the cluster: query priorities are its workload management'],
  ['pg_cancel_backend', 'run it on the cluster'],
  ['pg_terminate_backend', 'run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_SIZE.html: Redshift's in-memory size of a SUPER value.
  ['size', 'JSON_SIZE for the serialized size; the in-memory size exists only on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/array_contains.html, array_position.html,
  // array_positions.html, arrays_overlap.html: the pages do not say how an element compares with a
  // value of another type (1 with '1' or 1.0), and the NULL handling defaults to the session's
  // default_array_search_null_handling. Unnesting compares by SUPER's dynamic typing (docs/super.md).
  ['array_contains', 'unnest the array (FROM t, t.arr AS e WHERE e = value), or run it on the cluster'],
  ['array_position', 'unnest the array with its index (FROM t, t.arr AS e AT i WHERE e = value), or run it on the cluster'],
  ['array_positions', 'unnest the array with its index (FROM t, t.arr AS e AT i WHERE e = value), or run it on the cluster'],
  ['arrays_overlap', 'unnest both arrays and join them on their elements, or run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/array_distinct.html, array_except.html,
  // array_intersection.html, array_union.html: "The order of elements in the result is not guaranteed".
  ['array_distinct', 'unnest the array and SELECT DISTINCT its elements, or run it on the cluster'],
  ['array_except', 'unnest the arrays and use EXCEPT, or run it on the cluster'],
  ['array_intersection', 'unnest the arrays and use INTERSECT, or run it on the cluster'],
  ['array_union', 'unnest the arrays and use UNION, or run it on the cluster'],
]);

/**
 * Redshift's system words written without parentheses that only a cluster can answer, refused as
 * NOT_RUN_OFFLINE's are (walker.ts: where PostgreSQL reads one as a column of no table): the AWS
 * account (r_CURRENT_AWS_ACCOUNT.html), which the offline twin does not have and no configuration
 * of the project names. CURRENT_NAMESPACE runs: the warehouse's own (local/prelude/system-functions.ts).
 */
export const SYSTEM_WORDS_NOT_RUN_OFFLINE: ReadonlyMap<string, string> = new Map([
  ['current_aws_account', 'run it on the cluster: offline there is no AWS account'],
]);

/**
 * Functions the twin answers only where Redshift's leader node would run them alone, in a
 * statement that reads no table: https://docs.aws.amazon.com/redshift/latest/dg/r_SLICE_NUM.html
 * returns 10000 there (local/prelude/system-functions.ts); elsewhere it is the slice that holds
 * the row, and the twin keeps no slices.
 */
export const LEADER_NODE_ANSWER_ONLY: ReadonlyMap<string, string> = new Map([
  ['slice_num', 'run it on the cluster: the offline twin keeps no slices'],
]);

/**
 * Documented functions read in FROM with a column definition list, as their pages show
 * (PG_GET_COLS.html, PG_GET_LATE_BINDING_VIEW_COLS.html: cols(view_schema name, ...)).
 */
export const TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['pg_get_cols', 'pg_get_late_binding_view_cols']);

/** Aggregates Redshift takes WITHIN GROUP (ORDER BY ...) on. https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html, ST_Collect-function.html */
export const WITHIN_GROUP_FUNCTIONS: ReadonlySet<string> = new Set([
  'listagg',
  'median',
  'percentile_cont',
  'percentile_disc',
  'st_collect',
]);
