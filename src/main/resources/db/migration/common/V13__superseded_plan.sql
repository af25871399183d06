-- The plan a request was approved with, kept when a change in the live AWS state replaced it (NEEDS_REAPPROVAL), so
-- that the approver sees what changed.
alter table access_request add column superseded_plan varchar;
