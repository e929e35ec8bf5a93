INSERT INTO load_history (load_id, fingerprint, started_at, outcome)
VALUES
  (
    '{{ load_id }}',
    '{{ fingerprint }}',
    GETDATE(),
    'running'
  );
