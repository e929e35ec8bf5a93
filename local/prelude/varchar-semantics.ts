/** Redshift's comparison semantics for character strings, installed in the twin's database. */
export const VARCHAR_SEMANTICS_SQL = '';
