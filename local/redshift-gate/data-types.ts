// Redshift's data types (https://docs.aws.amazon.com/redshift/latest/dg/c_Supported_data_types.html),
// as PostgreSQL's parser names them (INTEGER is int4, DOUBLE PRECISION float8, CHAR bpchar ...).
// Everything else is refused, the unsupported PostgreSQL types among them: arrays, BIT, BYTEA,
// JSON/JSONB, SERIAL, MONEY, UUID, XML, ranges, "char", name ...
// (https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-datatypes.html).
export const REDSHIFT_TYPES: ReadonlySet<string> = new Set([
  'int2',
  'int4',
  'int8',
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'decimal',
  'float4',
  'float8',
  'float',
  'real',
  'bool',
  'boolean',
  'bpchar',
  'char',
  'character',
  'nchar',
  'varchar',
  'nvarchar',
  'text',
  'date',
  'timestamp',
  'timestamptz',
  'time',
  'timetz',
  'interval',
  'super',
  'varbyte',
  'varbinary',
  'geometry',
  'geography',
  'hllsketch',
]);

/** Widest column, in bytes. https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html */
export const MAX_BYTES: Readonly<Record<string, number>> = { varchar: 65535, nvarchar: 65535, bpchar: 4096, nchar: 4096 };
