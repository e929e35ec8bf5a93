/**
 * The longest error load_history keeps: its column is VARCHAR(4096), and Redshift counts VARCHAR
 * lengths in bytes (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html).
 */
export const MAX_ERROR_BYTES = 4096;

/** Redshift's COPY accepts a MAXERROR of at most 100000. */
export const MAX_LOAD_ERRORS = 100_000;

/** BatchExecuteStatement's limits: Sqls holds 1-40 statements, and the Data API refuses a query string over 100 kB. */
export const MAX_BATCH_STATEMENTS = 40;
export const MAX_STATEMENT_BYTES = 100 * 1000;

/**
 * "The maximum duration of a query is 24 hours" (Considerations when calling the Data API,
 * https://docs.aws.amazon.com/redshift/latest/mgmt/data-api.html): a batch never runs longer, so a
 * background load's timeout must be shorter for the stale-load check to see it still running.
 */
export const BACKGROUND_LOAD_TIMEOUT_HOURS = { min: 1, max: 23 } as const;
/** How often the stale-load check may run: each run reports the loads whose timeout ended since the one before. */
export const STALE_CHECK_INTERVAL_MINUTES = { min: 1, max: 60 } as const;
