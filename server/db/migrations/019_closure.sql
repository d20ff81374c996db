-- Verified closure (复核 / 复查) and residents' reports (随手拍), issue #21. Columns are added, not tables rebuilt:
-- a rebuild of `dangers` would have to restate every column other migrations add to it.

-- 复核: when the receiving unit reports a task handled (反馈), the server grabs a fresh frame of the danger's camera
-- and keeps it beside the tag frame; when no frame can be had, the reason is kept instead (the report still goes
-- through). A delegated parent that is resolved by its child's feedback carries the same frame up.
ALTER TABLE tasks ADD COLUMN closure_frame_sha256 TEXT;
ALTER TABLE tasks ADD COLUMN closure_frame_at TEXT;
ALTER TABLE tasks ADD COLUMN closure_frame_error TEXT;

-- Where a danger came from: tagged by staff on a live tile, or reported by a resident through a share link.
ALTER TABLE dangers ADD COLUMN origin TEXT NOT NULL DEFAULT 'staff' CHECK (origin IN ('staff', 'resident'));

-- 复查: categories with a re-check period wait, after 办结, for a scheduled look by the unit that closed them.
-- recheck_status NULL = no re-check (never needed, or not yet closed); a failed re-check reopens the danger
-- (status returned, closed_at cleared) with its tasks and history kept.
ALTER TABLE dangers ADD COLUMN recheck_status TEXT CHECK (recheck_status IN ('pending', 'passed', 'failed'));
ALTER TABLE dangers ADD COLUMN recheck_due_at TEXT;
ALTER TABLE dangers ADD COLUMN recheck_unit_id INTEGER REFERENCES org_units(id);
ALTER TABLE dangers ADD COLUMN recheck_notified_at TEXT;
ALTER TABLE dangers ADD COLUMN rechecked_at TEXT;
-- The re-check scanner's question: pending, due, not yet announced.
CREATE INDEX dangers_recheck_due ON dangers(recheck_due_at) WHERE recheck_status = 'pending';

-- 随手拍: one row per resident report, for the per-link and per-device rate limits and the resident's own list.
-- `device` is the link-scoped device hash the viewer token carries (never the raw device id).
CREATE TABLE resident_reports (
  id          INTEGER PRIMARY KEY,
  link_id     INTEGER NOT NULL REFERENCES share_links(id),
  device      TEXT NOT NULL,
  danger_id   INTEGER NOT NULL REFERENCES dangers(id),
  created_at  TEXT NOT NULL
);
CREATE INDEX resident_reports_link ON resident_reports(link_id, created_at);
CREATE INDEX resident_reports_device ON resident_reports(link_id, device, id);
