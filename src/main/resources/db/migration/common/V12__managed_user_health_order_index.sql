-- A page of users of one health (the dashboard's and GET /api/v1/users' health filter) is read along this index in
-- (server_id, user_name) order and stops after the page, instead of fetching every active user to test its health.
-- It replaces the (status, health) index of V4, which it starts with: the counts per health still use it.
drop index managed_user_health_idx;
create index managed_user_health_order_idx on managed_user (status, health, server_id, user_name);
