import { AGGREGATE_FUNCTIONS_SQL } from './aggregate-functions';
import { CATALOG_VIEWS_SQL } from './catalog-views';
import { CONVERSION_FUNCTIONS_SQL } from './conversion-functions';
import { DATE_FUNCTIONS_SQL } from './date-functions';
import { HASH_FUNCTIONS_SQL } from './hash-functions';
import { JSON_TEXT_FUNCTIONS_SQL } from './json-text-functions';
import { REDSHIFT_FUNCTIONS_SQL } from './redshift-functions';
import { STRING_FUNCTIONS_SQL } from './string-functions';
import { VARBYTE_FUNCTIONS_SQL } from './varbyte-functions';
import { SPATIAL_FUNCTIONS_SQL } from './spatial-functions';
import { SUPER_FUNCTIONS_SQL } from './super-functions';
import { VARCHAR_SEMANTICS_SQL } from './varchar-semantics';

/**
 * Run once per session before the plan: Redshift's default time zone, then what makes the
 * database answer as Redshift does (functions, string comparison, catalog views). The function
 * families after REDSHIFT_FUNCTIONS_SQL use its sparkify_not_supported.
 */
export const POSTGRES_PRELUDE = [
  "SET TIME ZONE 'UTC';",
  REDSHIFT_FUNCTIONS_SQL,
  STRING_FUNCTIONS_SQL,
  HASH_FUNCTIONS_SQL,
  DATE_FUNCTIONS_SQL,
  CONVERSION_FUNCTIONS_SQL,
  JSON_TEXT_FUNCTIONS_SQL,
  AGGREGATE_FUNCTIONS_SQL,
  VARBYTE_FUNCTIONS_SQL,
  SUPER_FUNCTIONS_SQL,
  VARCHAR_SEMANTICS_SQL,
  CATALOG_VIEWS_SQL,
  SPATIAL_FUNCTIONS_SQL,
]
  .filter((part) => part !== '')
  .join('\n');
