-- Up Migration
-- Facts about this database: which deployment wrote it and when it was created.
CREATE TABLE meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO meta (key, value) VALUES ('created_at', now()::text);

-- Down Migration
DROP TABLE meta;
