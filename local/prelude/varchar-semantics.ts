/**
 * Redshift's comparison semantics for character strings, installed in the twin's database.
 *
 * Redshift: "Trailing spaces in VARCHAR and CHAR values are treated as semantically insignificant
 * when values are compared" (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html,
 * "Significance of trailing blanks"; the example on
 * https://docs.aws.amazon.com/redshift/latest/dg/r_Examples_with_character_types.html counts
 * '9516 Magnolia Boulevard  ' equal to '9516 Magnolia Boulevard' in a VARCHAR column). PostgreSQL
 * ignores them for CHAR (bpchar) only. So varchar gets operators and DEFAULT btree and hash operator
 * classes built on PostgreSQL's own bpchar functions, which strip trailing blanks and read the same
 * varlena datum: =, <>, <, <=, >, >= (so NULLIF, IN, CASE, joins) and the default classes (so
 * GROUP BY, DISTINCT, ORDER BY, PARTITION BY, UNION, hash and merge joins) follow Redshift.
 * Values are untouched: a selected value keeps its blanks, and LENGTH/LEN count them, as
 * Redshift does for VARCHAR (https://docs.aws.amazon.com/redshift/latest/dg/r_LEN.html).
 * LIKE is left alone: it does not ignore trailing spaces on Redshift either
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_patternmatching_condition_like.html).
 *
 * Cross-type comparisons follow the same rule: varchar with text (what PostgreSQL's string
 * functions return) and varchar or text with CHAR. Not covered: text with text (two function
 * results, two literals), which resolves to pg_catalog's operator, searched before public.
 */

const BLANKS_IGNORED_FAMILY = 'public.redshift_string_ops';
/** Marks the installed version; a change to the objects below needs a new marker and a migration. */
const MARKER = 'sparkify: Redshift trailing-blank semantics v1';

interface Comparison {
  readonly op: string;
  readonly name: string;
  readonly internal: string;
  readonly commutator: string;
  readonly negator: string;
  readonly restrict: string;
  readonly join: string;
  /** btree strategy number, for the pairs that join the btree family. */
  readonly strategy?: number;
}

const COMPARISONS: readonly Comparison[] = [
  { op: '=', name: 'eq', internal: 'bpchareq', commutator: '=', negator: '<>', restrict: 'eqsel', join: 'eqjoinsel', strategy: 3 },
  { op: '<>', name: 'ne', internal: 'bpcharne', commutator: '<>', negator: '=', restrict: 'neqsel', join: 'neqjoinsel' },
  {
    op: '<',
    name: 'lt',
    internal: 'bpcharlt',
    commutator: '>',
    negator: '>=',
    restrict: 'scalarltsel',
    join: 'scalarltjoinsel',
    strategy: 1,
  },
  {
    op: '<=',
    name: 'le',
    internal: 'bpcharle',
    commutator: '>=',
    negator: '>',
    restrict: 'scalarlesel',
    join: 'scalarlejoinsel',
    strategy: 2,
  },
  {
    op: '>',
    name: 'gt',
    internal: 'bpchargt',
    commutator: '<',
    negator: '<=',
    restrict: 'scalargtsel',
    join: 'scalargtjoinsel',
    strategy: 5,
  },
  {
    op: '>=',
    name: 'ge',
    internal: 'bpcharge',
    commutator: '<=',
    negator: '<',
    restrict: 'scalargesel',
    join: 'scalargejoinsel',
    strategy: 4,
  },
];

type StringType = 'varchar' | 'text' | 'bpchar' | 'name';

interface TypePair {
  readonly left: StringType;
  readonly right: StringType;
  /**
   * In the btree family (merge joins, sorts, equivalence classes). Pairs with text stay out: the
   * family would need text-with-text operators to sort the text side, and those cannot be made
   * visible over pg_catalog's.
   */
  readonly btree: boolean;
}

/**
 * name (catalog identifiers) is no varlena, so the bpchar functions cannot read it: its pairs with
 * varchar compare through text. They exist because varchar = name would otherwise be ambiguous
 * between pg_catalog's text = name and the varchar = text below (bpchar = name likewise).
 */
const NAME_PAIRS: readonly { left: StringType; right: StringType }[] = [
  { left: 'varchar', right: 'name' },
  { left: 'name', right: 'varchar' },
  { left: 'bpchar', right: 'name' },
  { left: 'name', right: 'bpchar' },
];

/** Every pair gets its own operators; bpchar with bpchar keeps PostgreSQL's, which already agree. */
const PAIRS: readonly TypePair[] = [
  { left: 'varchar', right: 'varchar', btree: true },
  { left: 'varchar', right: 'bpchar', btree: true },
  { left: 'bpchar', right: 'varchar', btree: true },
  { left: 'varchar', right: 'text', btree: false },
  { left: 'text', right: 'varchar', btree: false },
  { left: 'bpchar', right: 'text', btree: false },
  { left: 'text', right: 'bpchar', btree: false },
];

const INTERNAL = 'LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE';

function fn(name: string, left: StringType, right: StringType): string {
  return `public.redshift_${left}_${right}_${name}`;
}

function pairSql({ left, right, btree }: TypePair): string[] {
  const statements: string[] = [];
  for (const c of COMPARISONS) {
    statements.push(`CREATE FUNCTION ${fn(c.name, left, right)}(${left}, ${right}) RETURNS boolean ${INTERNAL} AS '${c.internal}'`);
  }
  statements.push(`CREATE FUNCTION ${fn('cmp', left, right)}(${left}, ${right}) RETURNS integer ${INTERNAL} AS 'bpcharcmp'`);
  for (const c of COMPARISONS) {
    // A commutator or negator not made yet is created as a shell and completed by its own CREATE.
    const options = [
      `LEFTARG = ${left}`,
      `RIGHTARG = ${right}`,
      `FUNCTION = ${fn(c.name, left, right)}`,
      `COMMUTATOR = OPERATOR(public.${c.commutator})`,
      `NEGATOR = OPERATOR(public.${c.negator})`,
      `RESTRICT = ${c.restrict}`,
      `JOIN = ${c.join}`,
    ];
    if (c.op === '=') options.push('HASHES', ...(btree ? ['MERGES'] : []));
    statements.push(`CREATE OPERATOR public.${c.op} (${options.join(', ')})`);
  }
  return statements;
}

function namePairSql({ left, right }: { left: StringType; right: StringType }): string[] {
  const statements: string[] = [];
  const l = left === 'name' ? '$1::text' : '$1';
  const r = right === 'name' ? '$2::text' : '$2';
  for (const c of COMPARISONS) {
    statements.push(
      `CREATE FUNCTION ${fn(c.name, left, right)}(${left}, ${right}) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ` +
        `AS 'SELECT ${l} OPERATOR(public.${c.op}) ${r}'`,
    );
  }
  for (const c of COMPARISONS) {
    statements.push(
      `CREATE OPERATOR public.${c.op} (LEFTARG = ${left}, RIGHTARG = ${right}, FUNCTION = ${fn(c.name, left, right)}, ` +
        `COMMUTATOR = OPERATOR(public.${c.commutator}), NEGATOR = OPERATOR(public.${c.negator}), RESTRICT = ${c.restrict}, JOIN = ${c.join})`,
    );
  }
  return statements;
}

function familySql(): string[] {
  const statements = [
    `CREATE OPERATOR FAMILY ${BLANKS_IGNORED_FAMILY} USING btree`,
    `CREATE OPERATOR FAMILY ${BLANKS_IGNORED_FAMILY} USING hash`,
    `CREATE FUNCTION public.redshift_varchar_sortsupport(internal) RETURNS void ${INTERNAL} AS 'bpchar_sortsupport'`,
    // hashbpchar hashes the value without its trailing blanks, whatever the declared type.
    ...(['varchar', 'text'] as const).flatMap((type) => [
      `CREATE FUNCTION public.redshift_${type}_hash(${type}) RETURNS integer ${INTERNAL} AS 'hashbpchar'`,
      `CREATE FUNCTION public.redshift_${type}_hash_extended(${type}, bigint) RETURNS bigint ${INTERNAL} AS 'hashbpcharextended'`,
    ]),
    // The default classes for varchar: GROUP BY, DISTINCT, ORDER BY and set operations use them.
    `CREATE OPERATOR CLASS public.redshift_varchar_ops DEFAULT FOR TYPE varchar USING btree FAMILY ${BLANKS_IGNORED_FAMILY} AS ` +
      'OPERATOR 1 public.< (varchar, varchar), OPERATOR 2 public.<= (varchar, varchar), OPERATOR 3 public.= (varchar, varchar), ' +
      'OPERATOR 4 public.>= (varchar, varchar), OPERATOR 5 public.> (varchar, varchar), ' +
      'FUNCTION 1 public.redshift_varchar_varchar_cmp(varchar, varchar), FUNCTION 2 public.redshift_varchar_sortsupport(internal)',
    `CREATE OPERATOR CLASS public.redshift_varchar_ops DEFAULT FOR TYPE varchar USING hash FAMILY ${BLANKS_IGNORED_FAMILY} AS ` +
      'OPERATOR 1 public.= (varchar, varchar), FUNCTION 1 public.redshift_varchar_hash(varchar), ' +
      'FUNCTION 2 public.redshift_varchar_hash_extended(varchar, bigint)',
    // bpchar's own operators join the btree family so varchar-with-CHAR merge joins can sort both sides.
    `ALTER OPERATOR FAMILY ${BLANKS_IGNORED_FAMILY} USING btree ADD ` +
      'OPERATOR 1 pg_catalog.< (bpchar, bpchar), OPERATOR 2 pg_catalog.<= (bpchar, bpchar), OPERATOR 3 pg_catalog.= (bpchar, bpchar), ' +
      'OPERATOR 4 pg_catalog.>= (bpchar, bpchar), OPERATOR 5 pg_catalog.> (bpchar, bpchar), ' +
      'FUNCTION 1 (bpchar, bpchar) pg_catalog.bpcharcmp(bpchar, bpchar), FUNCTION 2 (bpchar, bpchar) pg_catalog.bpchar_sortsupport(internal)',
    // Hash functions for the other input types, so every cross-type = can hash-join.
    `ALTER OPERATOR FAMILY ${BLANKS_IGNORED_FAMILY} USING hash ADD ` +
      'FUNCTION 1 (text) public.redshift_text_hash(text), FUNCTION 2 (text) public.redshift_text_hash_extended(text, bigint), ' +
      'FUNCTION 1 (bpchar) pg_catalog.hashbpchar(bpchar), FUNCTION 2 (bpchar) pg_catalog.hashbpcharextended(bpchar, bigint)',
  ];
  for (const pair of PAIRS) {
    const { left, right } = pair;
    if (left === right) continue;
    statements.push(`ALTER OPERATOR FAMILY ${BLANKS_IGNORED_FAMILY} USING hash ADD OPERATOR 1 public.= (${left}, ${right})`);
    if (!pair.btree) continue;
    const ops = COMPARISONS.filter((c) => c.strategy !== undefined).map((c) => `OPERATOR ${c.strategy} public.${c.op} (${left}, ${right})`);
    statements.push(
      `ALTER OPERATOR FAMILY ${BLANKS_IGNORED_FAMILY} USING btree ADD ${ops.join(', ')}, ` +
        `FUNCTION 1 (${left}, ${right}) ${fn('cmp', left, right)}(${left}, ${right})`,
    );
  }
  statements.push(`COMMENT ON OPERATOR FAMILY ${BLANKS_IGNORED_FAMILY} USING btree IS '${MARKER}'`);
  return statements;
}

/**
 * One DO block: CREATE OPERATOR and CREATE OPERATOR CLASS have no OR REPLACE, so it installs
 * everything once, under a transaction-scoped advisory lock so two sessions starting on one
 * server at once do not both try. The marker is read with a plain query after the lock is held,
 * so a session that waited sees what the other committed. Needs a superuser (LANGUAGE internal,
 * operator classes): the twin connects as one.
 */
export const VARCHAR_SEMANTICS_SQL = `DO $varchar_semantics$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sparkify varchar semantics'));
  IF EXISTS (
    SELECT 1 FROM pg_catalog.pg_opfamily AS f
    JOIN pg_catalog.pg_description AS d ON d.objoid = f.oid AND d.classoid = 'pg_catalog.pg_opfamily'::regclass
    WHERE f.opfname = 'redshift_string_ops' AND f.opfnamespace = 'public'::regnamespace AND d.description = '${MARKER}'
  ) THEN
    RETURN;
  END IF;
${[...PAIRS.flatMap(pairSql), ...NAME_PAIRS.flatMap(namePairSql), ...familySql()].map((statement) => `  ${statement};`).join('\n')}
END
$varchar_semantics$;`;
