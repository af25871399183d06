-- Approved requests are run by db-scheduler one-time tasks (table layout of db-scheduler 16, PostgreSQL): the
-- execution is inserted in the approving transaction, picked by exactly one instance (optimistic version update)
-- and kept alive by heartbeats; an execution whose instance stops heartbeating is revived by another instance.
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time_idx on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- The heartbeat replaces the request row's lease; the row keeps only which pick of which execution runs it.
alter table access_request drop column lease_until;
alter table access_request rename column lease_owner to run_owner;

-- Work in flight when this version is installed is handed to the new mechanism: one execution per runnable request
-- (a PROVISIONING one becomes owned by that execution, so it is resumed), and the stored events of the old one go.
update access_request set run_owner = cast(id as varchar(20)) || '/migrated#0' where status = 'PROVISIONING';
insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)
    select 'provision-request', cast(id as varchar(20)) || '/migrated', current_timestamp, false, 1
    from access_request
    where status in ('APPROVED', 'PROVISIONING') or (status = 'FAILED' and retry_requested);
delete from event_publication where event_type = 'io.transferportal.requests.RequestEvents$ProvisioningRequested';

-- Submissions for one Transfer user are serialized by a row lock on a table of the requests module's own.
create table submission_lock (
    name varchar(300) primary key
);
delete from provisioning_lock where name like 'submission:%';
