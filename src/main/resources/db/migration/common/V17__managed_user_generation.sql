-- The managed users' generation: one number, advanced once a transaction that wrote managed users has committed
-- (ManagedUserSearches), so that every instance on the database knows when the counts and pages of managed users it
-- keeps went out of date, however long it keeps them.
create table managed_user_generation (
    id int not null,
    generation bigint not null,
    constraint managed_user_generation_pk primary key (id)
);

insert into managed_user_generation (id, generation) values (1, 0);
