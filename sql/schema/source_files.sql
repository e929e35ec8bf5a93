-- One row per source object a committed load read, as it was then (S3 key, size and ETag).
-- Full loads rewrite it; incremental loads append the new log files, and report a loaded file
-- whose size or ETag changed instead of skipping it. ETag is an opaque token (an MD5 of the
-- bytes only for some uploads). Read in key order, as S3 lists; when: load_history of load_id.
CREATE TABLE IF NOT EXISTS source_files (
  kind VARCHAR(16) NOT NULL,
  key VARCHAR(1024) NOT NULL,
  size BIGINT NOT NULL,
  etag VARCHAR(128) NOT NULL,
  load_id VARCHAR(128) NOT NULL
) DISTSTYLE ALL SORTKEY (key);
