-- Up Migration
-- The follow-ups both parties sign (issue #15): one row per agreement and follow-up point, the
-- record whole as jsonb (src/domain/follow-up.ts: revisions, approvals, communications). `version`
-- grows with every write and a write names the version it read: two coordinators approving at the
-- same moment on two instances cannot overwrite each other.
CREATE TABLE follow_ups (
  agreement_id text NOT NULL,
  period_key text NOT NULL,
  seq bigserial NOT NULL,
  version bigint NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (agreement_id, period_key)
);

-- Down Migration
DROP TABLE follow_ups;
