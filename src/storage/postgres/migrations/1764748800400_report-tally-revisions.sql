-- Up Migration
-- The agreement's revision at a cell's last change: an instance whose cached totals are at
-- revision r reads only the cells changed after r (another instance's writes), not the whole
-- agreement. A cell left with no report stays (0 reports) so that its removal is read too; cells
-- from before this migration count as revision 0 (a full read includes them).
ALTER TABLE report_tally ADD COLUMN rev bigint NOT NULL DEFAULT 0;
CREATE INDEX report_tally_rev ON report_tally (agreement_id, rev);

-- Down Migration
DROP INDEX report_tally_rev;
DELETE FROM report_tally WHERE reports <= 0;
ALTER TABLE report_tally DROP COLUMN rev;
