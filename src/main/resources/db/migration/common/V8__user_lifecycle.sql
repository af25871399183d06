-- The life of a managed user after provisioning: expiry, key rotation, periodic review, adoption and tag changes.

-- A change keeps the settings it replaces, so that it removes only the tags the portal set before (never others').
alter table access_request add column previous_spec varchar;
-- When the access a provision or change grants ends (null: never, or for a change: unchanged).
alter table access_request add column expires_at timestamp with time zone;
-- A rotation: keys the change keeps for an overlap after it is applied, then removes (the approval covers it).
alter table access_request add column retire_keys varchar;
alter table access_request add column retire_after_seconds bigint;
-- A request the portal made itself (suspension at expiry, retiring rotated keys, a revoking review), and the request
-- or review whose approval covers it.
alter table access_request add column covered_by varchar(200);

alter table managed_user add column expires_at timestamp with time zone;
alter table managed_user add column expiry_warned_at timestamp with time zone;
-- EXPIRED or UNREVIEWED: the SSH keys are removed, role, policies and files are kept.
alter table managed_user add column suspension varchar(20);
alter table managed_user add column suspended_at timestamp with time zone;
alter table managed_user add column retire_keys varchar;
alter table managed_user add column retire_at timestamp with time zone;
alter table managed_user add column retire_request_id bigint;
-- Who asked for the access the user has now (a review must be by someone else), and when it was granted.
alter table managed_user add column granted_by varchar(100);
alter table managed_user add column grant_request_id bigint;
alter table managed_user add column granted_at timestamp with time zone;
alter table managed_user add column reviewed_at timestamp with time zone;
alter table managed_user add column reviewed_by varchar(100);
-- From the last verification, for the dashboard's key counts and rotation filter without reading AWS.
alter table managed_user add column ssh_key_count integer;
alter table managed_user add column oldest_key_imported_at timestamp with time zone;
-- users from before reviews count as granted when the portal took them on, by whom asked for them last
update managed_user set granted_at = created_at where granted_at is null;
update managed_user set granted_by = (select r.requested_by from access_request r where r.id = managed_user.last_request_id)
    where granted_by is null and last_request_id is not null;
update managed_user set grant_request_id = last_request_id where grant_request_id is null;
create index managed_user_expires_idx on managed_user (expires_at);
create index managed_user_retire_idx on managed_user (retire_at);
