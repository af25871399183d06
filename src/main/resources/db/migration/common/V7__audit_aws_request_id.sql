-- The AWS request ids (CloudTrail's requestID) of the calls behind an AWS change or a failed call, space-separated in
-- call order, so an auditor can join a portal record to the CloudTrail events it caused. Not bounded: one resource's
-- change can take several calls (a user and each of its SSH keys). The same statement runs on H2 and PostgreSQL.
alter table audit_entry add column aws_request_id varchar;
