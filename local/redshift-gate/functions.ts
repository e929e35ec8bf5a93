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
  // https://docs.aws.amazon.com/redshift/latest/dg/r_VERSION.html: the cluster's version string; offline it would be PostgreSQL's.
  ['version', 'run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_System_information_functions.html: IAM roles,
  // query and COPY/UNLOAD ids, slices and Redshift's user ids exist only on a cluster.
  ['current_user_id', 'run it on the cluster, or CURRENT_USER for the user name'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_COLLATE.html: case_insensitive changes how values compare.
  ['collate', 'compare LOWER(string) for a case-insensitive match, or run it on the cluster'],
  ['default_iam_role', 'run it on the cluster'],
  ['has_assumerole_privilege', 'run it on the cluster'],
  ['pg_get_grantee_by_iam_role', 'run it on the cluster'],
  ['pg_get_iam_role_by_user', 'run it on the cluster'],
  ['pg_get_session_roles', 'run it on the cluster'],
  ['role_is_member_of', 'run it on the cluster'],
  ['user_is_member_of', 'run it on the cluster'],
  ['last_user_query_id', 'run it on the cluster'],
  ['pg_last_query_id', 'run it on the cluster'],
  ['pg_last_copy_id', 'PG_LAST_COPY_COUNT(), which the twin keeps'],
  ['pg_last_unload_count', 'run it on the cluster: the twin does not UNLOAD'],
  ['pg_last_unload_id', 'run it on the cluster: the twin does not UNLOAD'],
  ['slice_num', 'run it on the cluster: the twin has no slices'],
  ['pg_get_cols', 'information_schema.columns'],
  ['pg_get_late_binding_view_cols', 'information_schema.columns'],
  // https://docs.aws.amazon.com/redshift/latest/dg/ST_MemSize-function.html: "depends on the Amazon
  // Redshift internal representation of the geometry"; PostGIS's representation is another.
  ['st_memsize', 'ST_NPoints(geom) as a measure of relative size offline, or run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/ST_GeoSquare-function.html, ST_GeomFromGeoSquare-function.html:
  // Redshift's own square grid, which PostGIS does not have.
  ['st_geosquare', 'ST_GeoHash for a grid cell offline, or run it on the cluster'],
  ['st_geomfromgeosquare', 'ST_GeomFromGeoHash for a grid cell offline, or run it on the cluster'],
  // https://docs.aws.amazon.com/redshift/latest/dg/r_System_administration_functions.html: workload
  // management and other sessions exist only on a cluster.
  ['change_query_priority', 'run it on the cluster'],
  ['change_session_priority', 'run it on the cluster'],
  ['change_user_priority', 'run it on the cluster'],
  ['pg_cancel_backend', 'run it on the cluster'],
  ['pg_terminate_backend', 'run it on the cluster'],
]);

/**
 * Redshift's system words written without parentheses that only a cluster can answer, refused as
 * NOT_RUN_OFFLINE's are (walker.ts: where PostgreSQL reads one as a column of no table).
 * https://docs.aws.amazon.com/redshift/latest/dg/r_CURRENT_AWS_ACCOUNT.html, r_CURRENT_NAMESPACE.html, r_CURRENT_USER_ID.html
 */
export const SYSTEM_WORDS_NOT_RUN_OFFLINE: ReadonlyMap<string, string> = new Map(
  ['current_aws_account', 'current_namespace', 'current_user_id'].map((word) => [
    word,
    'run it on the cluster, or CURRENT_USER for the user name',
  ]),
);

/** Aggregates Redshift takes WITHIN GROUP (ORDER BY ...) on. https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html, ST_Collect-function.html */
export const WITHIN_GROUP_FUNCTIONS: ReadonlySet<string> = new Set([
  'listagg',
  'median',
  'percentile_cont',
  'percentile_disc',
  'st_collect',
]);
