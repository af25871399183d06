-- The dashboard and GET /api/v1/users page active users in (server_id, user_name) order: with this index the
-- database reads a page in order and stops, instead of sorting every active user for each page.
create index managed_user_status_order_idx on managed_user (status, server_id, user_name);
