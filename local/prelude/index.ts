import { CATALOG_VIEWS_SQL } from './catalog-views';
import { REDSHIFT_FUNCTIONS_SQL } from './redshift-functions';
import { SUPER_FUNCTIONS_SQL } from './super-functions';
import { VARCHAR_SEMANTICS_SQL } from './varchar-semantics';

/**
 * Run once per session before the plan: Redshift's default time zone, then what makes the
 * database answer as Redshift does (functions, string comparison, catalog views).
 */
export const POSTGRES_PRELUDE = [
  "SET TIME ZONE 'UTC';",
  REDSHIFT_FUNCTIONS_SQL,
  SUPER_FUNCTIONS_SQL,
  VARCHAR_SEMANTICS_SQL,
  CATALOG_VIEWS_SQL,
]
  .filter((part) => part !== '')
  .join('\n');
