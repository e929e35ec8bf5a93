-- Runs after the failed load's rollback, in a transaction of its own. SYSDATE, the start of that
-- transaction to the microsecond (https://docs.aws.amazon.com/redshift/latest/dg/r_SYSDATE.html):
-- GETDATE() keeps whole seconds, which put finished_at before a started_at with milliseconds.
INSERT INTO load_history (
  load_id,
  fingerprint,
  started_at,
  finished_at,
  outcome,
  error
)
VALUES
  (
    '{{ load_id }}',
    '{{ fingerprint }}',
    '{{ started_at }}',
    SYSDATE,
    'failed',
    '{{ error }}'
  );
