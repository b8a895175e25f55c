-- Up Migration
-- The delivery ledger (src/storage/postgres/ledger.ts): one row per (occurrence, recipient), shared
-- by every bot instance. Timestamps are the bot's clock (passed in), never now().

CREATE TABLE delivery_occurrence (
  key text PRIMARY KEY,
  -- Insertion order: the tie-break of the overview (as the file ledger keeps it).
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  kind text NOT NULL,
  due timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
-- påminnelser: newest first, optionally by kind.
CREATE INDEX delivery_occurrence_due ON delivery_occurrence (due DESC, created_at DESC);
CREATE INDEX delivery_occurrence_kind_due ON delivery_occurrence (kind, due DESC);

CREATE TABLE delivery_row (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurrence_key text NOT NULL REFERENCES delivery_occurrence (key) ON DELETE CASCADE,
  recipient text NOT NULL,
  conversation_id text NOT NULL,
  tenant_id text,
  state text NOT NULL
    CHECK (state IN ('pending', 'sending', 'retrying', 'sent', 'failed', 'skipped', 'unknown')),
  attempts integer NOT NULL DEFAULT 0,
  -- The instance (its liveness lock key) that has the row: in flight ('sending'), waiting for its
  -- retry ('retrying') or reserved ('pending'). NULL otherwise.
  owner bigint,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Kept only while the row may still be sent (names in mentions go with them).
  target jsonb,
  message jsonb,
  activity_id text,
  reason text,
  -- Enqueueing is idempotent: two leaders can never add a recipient twice.
  CONSTRAINT delivery_row_recipient UNIQUE (occurrence_key, recipient),
  CONSTRAINT delivery_row_owned CHECK (owner IS NULL OR state IN ('pending', 'sending', 'retrying'))
);
-- claim / reserve: the rows nobody has, in order, per occurrence or of any.
CREATE INDEX delivery_row_claimable ON delivery_row (occurrence_key, id) WHERE state = 'pending' AND owner IS NULL;
CREATE INDEX delivery_row_claimable_any ON delivery_row (id) WHERE state = 'pending' AND owner IS NULL;
-- recoverInterrupted: rows an instance has, and rows in flight without one (copied from files).
CREATE INDEX delivery_row_held ON delivery_row (owner) WHERE owner IS NOT NULL OR state IN ('sending', 'retrying');
-- prune: occurrences with a row that may still be sent are kept.
CREATE INDEX delivery_row_active ON delivery_row (occurrence_key) WHERE state IN ('pending', 'sending', 'retrying');

-- Conversations coordinators were told are gone (once per time they were active).
CREATE TABLE delivery_gone_notice (
  conversation_id text PRIMARY KEY,
  at timestamptz NOT NULL
);

-- The send budget per tenant shared by every instance (src/storage/postgres/send-budget.ts): the
-- earliest start of the tenant's next send, on the database's clock.
CREATE TABLE delivery_tenant_pace (
  tenant_id text PRIMARY KEY,
  next_slot timestamptz NOT NULL
);

-- Down Migration
DROP TABLE delivery_tenant_pace;
DROP TABLE delivery_gone_notice;
DROP TABLE delivery_row;
DROP TABLE delivery_occurrence;
