-- Up Migration
-- The audit trail (src/storage/postgres/audit.ts): append-only, one row per entry, never holding
-- report free text. The only rewrite it ever gets is the privacy sweep's redaction of object_id and
-- detail; the trigger refuses every other UPDATE, and DELETE and TRUNCATE, whoever runs them (the
-- table owner can drop the trigger: docs/operations.md says how an operator makes the table
-- append-only for the bot's own database role with grants).
CREATE TABLE audit_log (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id text NOT NULL,
  tenant_id text,
  action text NOT NULL,
  object_id text,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
  correlation_id text,
  detail text,
  reconciled boolean NOT NULL DEFAULT false
);
-- Exports by date range.
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (NEW.seq, NEW.at, NEW.actor_id, NEW.tenant_id, NEW.action, NEW.outcome, NEW.correlation_id, NEW.reconciled)
         IS NOT DISTINCT FROM
         (OLD.seq, OLD.at, OLD.actor_id, OLD.tenant_id, OLD.action, OLD.outcome, OLD.correlation_id, OLD.reconciled)
  THEN
    RETURN NEW; -- a redaction of object_id / detail
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
