import { quoteIdent } from '../../lib/plan/bind';
import type { SqlEngine } from '../engine';
import { CopySetupError } from './copy-setup-error';

/** A column COPY fills, as the catalog describes it. */
export interface TargetColumn {
  readonly name: string;
  /** Base type name from pg_type, e.g. 'int4', 'varchar', 'timestamp' (domains resolved). */
  readonly baseType: string;
  /** The declared type as SQL shows it, e.g. 'character varying(16)'. */
  readonly displayType: string;
  /** pg_attribute.atttypmod: -1, or the length / precision encoded PostgreSQL's way. */
  readonly typmod: number;
  readonly notNull: boolean;
}

interface CatalogRow {
  name: string;
  base_type: string;
  display_type: string;
  typmod: number;
  not_null: boolean;
  generated: boolean;
}

const COLUMNS_SQL = `
SELECT a.attname AS name,
       b.typname AS base_type,
       format_type(a.atttypid, a.atttypmod) AS display_type,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
       a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS not_null,
       a.attidentity <> '' OR a.attgenerated <> '' AS generated
FROM pg_attribute AS a
JOIN pg_type AS t ON t.oid = a.atttypid
JOIN pg_type AS b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
WHERE a.attrelid = to_regclass($1::text) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

/**
 * The columns COPY loads, in order: the column list when given, else every column but identity
 * and generated ones (Redshift leaves IDENTITY columns out unless EXPLICIT_IDS).
 */
export async function readTargetColumns(
  engine: SqlEngine,
  table: string,
  columnList: readonly string[] | undefined,
): Promise<readonly TargetColumn[]> {
  const { rows } = await engine.query<CatalogRow>(COLUMNS_SQL, [quoteQualified(table)]);
  if (rows.length === 0) throw new CopySetupError(`Cannot COPY into nonexistent table ${table}`);
  const toColumn = (row: CatalogRow): TargetColumn => ({
    name: row.name,
    baseType: row.base_type,
    displayType: row.display_type,
    typmod: Number(row.typmod),
    notNull: row.not_null,
  });
  if (!columnList) return rows.filter((row) => !row.generated).map(toColumn);
  const byName = new Map(rows.map((row) => [row.name, row]));
  const seen = new Set<string>();
  return columnList.map((name) => {
    const row = byName.get(name);
    if (!row) throw new CopySetupError(`COPY ${table}: column "${name}" of relation "${table}" does not exist`);
    if (seen.has(name)) throw new CopySetupError(`COPY ${table}: column "${name}" is listed more than once`);
    if (row.generated) {
      throw new CopySetupError(
        `COPY ${table}: column "${name}" is an identity or generated column; ` +
          'loading it needs EXPLICIT_IDS, which the emulation does not support',
      );
    }
    seen.add(name);
    return toColumn(row);
  });
}

/** 'public.staging_events' -> '"public"."staging_events"'. */
export function quoteQualified(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}
