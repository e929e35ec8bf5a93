-- Turns a gate query (one that returns the failing rows) into an error that aborts the load's
-- transaction. The Data API path calls it; the offline executor runs gate queries directly.
CREATE OR REPLACE PROCEDURE assert_gate (gate_name VARCHAR(256), gate_query VARCHAR(65535)) AS $$
DECLARE
    failing BIGINT;
BEGIN
    EXECUTE 'SELECT COUNT(*) FROM (' || gate_query || ') AS failing_rows' INTO failing;
    IF failing > 0 THEN
        RAISE EXCEPTION 'quality gate % failed: % failing rows', gate_name, failing;
    END IF;
END;
$$ LANGUAGE plpgsql;
