-- Named locks as leases (Spring Integration's JdbcLockRegistry, the table of its schema-h2.sql and
-- schema-postgresql.sql, same for both): a holder's row names it (CLIENT_ID) and expires (EXPIRED_AFTER) unless the
-- holder renews it, so a crashed instance's lock is taken over after the lease, and nobody holds a transaction (a
-- pooled connection) while it waits for the lock or works under it.
create table int_lock (
    lock_key char(36) not null,
    region varchar(100) not null,
    client_id char(36),
    created_date timestamp not null,
    expired_after timestamp not null,
    constraint int_lock_pk primary key (lock_key, region)
);

-- the row locks it replaces
drop table provisioning_lock;
