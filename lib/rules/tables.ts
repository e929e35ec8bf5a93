/** The tables COPY fills, mirroring the sources. */
export const STAGING_TABLES = ['staging_events', 'staging_songs'] as const;
export type StagingTable = (typeof STAGING_TABLES)[number];

/** The star schema, in dependency order: songplays needs songs, time needs songplays. */
export const STAR_TABLES = ['songs', 'artists', 'users', 'songplays', 'time'] as const;
export type StarTable = (typeof STAR_TABLES)[number];

/**
 * Every table a load fills, as the load fills them (staging, then the fact and its dimensions):
 * load_history's rows_<table> columns, the loader's Rows_<table> attributes and stack outputs,
 * the offline summary.
 */
export const LOADED_TABLES = [...STAGING_TABLES, 'songplays', 'users', 'songs', 'artists', 'time'] as const;
export type LoadedTable = (typeof LOADED_TABLES)[number];
