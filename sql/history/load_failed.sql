-- Runs after the failed load's rollback, in a transaction of its own.
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
    GETDATE(),
    'failed',
    '{{ error }}'
  );
