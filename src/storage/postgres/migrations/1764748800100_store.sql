-- Up Migration
-- The store's records. Each record is kept whole as jsonb (`doc`, parsed with the domain's zod schema
-- on every read) next to the columns that are queried. Every table carries `agreement_id` where the
-- record has one and `tenant_id` where it is known, so several agreements can share one database
-- and row-level security can be added per agreement later. `seq` keeps the insertion order that
-- the file store lists in (a replaced record keeps its place).

CREATE TABLE agreements (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  -- Bumped by every save: an instance keeps its parsed, frozen copy until the version moves.
  version bigint NOT NULL DEFAULT 1,
  doc jsonb NOT NULL
);

CREATE TABLE reports (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  agreement_id text NOT NULL,
  tenant_id text,
  reporter_id text NOT NULL,
  submission_id text NOT NULL,
  week text NOT NULL,
  withdrawn boolean NOT NULL,
  doc jsonb NOT NULL,
  -- Idempotent submission: a retried or double submit of one reporter stores one report.
  CONSTRAINT reports_submission_key UNIQUE (agreement_id, reporter_id, submission_id)
);
-- list(): an agreement's weeks (status, questions, exports), one reporter's reports ("mina
-- rapporter"), and every agreement's weeks (retention, privacy sweep). agreement + reporter is
-- served by the unique index above.
CREATE INDEX reports_agreement_week ON reports (agreement_id, week);
CREATE INDEX reports_reporter_week ON reports (reporter_id, week);
CREATE INDEX reports_week ON reports (week);

-- Running totals of the countable reports, one row per cell of src/domain/report-tally.ts (plus
-- area and party, the finest grouping it keeps): kept in the same transaction as the report write.
CREATE TABLE report_tally (
  agreement_id text NOT NULL,
  activity_id text NOT NULL,
  pledge_number integer NOT NULL,
  date text NOT NULL,
  week text NOT NULL,
  area text NOT NULL,
  party text NOT NULL,
  count bigint NOT NULL,
  reports bigint NOT NULL,
  under18 bigint NOT NULL,
  from18to21 bigint NOT NULL,
  over21 bigint NOT NULL,
  PRIMARY KEY (agreement_id, activity_id, pledge_number, date, week, area, party)
);

-- The weeks that hold reports (withdrawn ones too), with how many: weeks() without a scan.
CREATE TABLE report_weeks (
  agreement_id text NOT NULL,
  week text NOT NULL,
  reports bigint NOT NULL,
  PRIMARY KEY (agreement_id, week)
);

-- One row per agreement, bumped by every change to its reports (same transaction): the revision
-- that every instance's caches key on.
CREATE TABLE report_revisions (
  agreement_id text PRIMARY KEY,
  revision bigint NOT NULL
);

CREATE TABLE conversations (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  tenant_id text,
  kind text NOT NULL,
  active boolean NOT NULL,
  doc jsonb NOT NULL
);

-- The small collections: one table each, keyed like their Collection.
CREATE TABLE overrides (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  agreement_id text NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX overrides_agreement ON overrides (agreement_id);

CREATE TABLE reporters (
  aad_object_id text PRIMARY KEY,
  seq bigserial NOT NULL,
  tenant_id text,
  doc jsonb NOT NULL
);

CREATE TABLE meetings (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  agreement_id text NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX meetings_agreement ON meetings (agreement_id);

CREATE TABLE channel_links (
  agreement_id text PRIMARY KEY,
  seq bigserial NOT NULL,
  tenant_id text,
  doc jsonb NOT NULL
);

CREATE TABLE coordinators (
  aad_object_id text PRIMARY KEY,
  seq bigserial NOT NULL,
  doc jsonb NOT NULL
);

CREATE TABLE markers (
  key text PRIMARY KEY,
  seq bigserial NOT NULL,
  doc jsonb NOT NULL
);

-- Down Migration
DROP TABLE markers;
DROP TABLE coordinators;
DROP TABLE channel_links;
DROP TABLE meetings;
DROP TABLE reporters;
DROP TABLE overrides;
DROP TABLE conversations;
DROP TABLE report_revisions;
DROP TABLE report_weeks;
DROP TABLE report_tally;
DROP TABLE reports;
DROP TABLE agreements;
