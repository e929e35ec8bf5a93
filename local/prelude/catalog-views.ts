/** Redshift's catalog views over the twin's tables, in Redshift's shapes. */
export const CATALOG_VIEWS_SQL = '';
