-- The worst of a managed user's last checks, kept on the row so the dashboard can filter and count 10,000 users in
-- the database without reading every check.
alter table managed_user add column health varchar(12) default 'UNVERIFIED' not null;
create index managed_user_health_idx on managed_user (status, health);
