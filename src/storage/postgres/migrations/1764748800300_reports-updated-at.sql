-- Up Migration
-- Start-up audit reconciliation reads only the reports changed since its last run.
CREATE INDEX reports_updated_at ON reports ((doc->>'updatedAt'));

-- Down Migration
DROP INDEX reports_updated_at;
