-- A stored event is its JSON, in which every quote and backslash of a 2,000-character reason is doubled: 4,000
-- characters (Spring Modulith's H2 schema) overflowed for a valid reason, and the reason was refused. PostgreSQL's
-- column is text. The column stays a character string, not a CLOB, because Modulith finds publications by it.
alter table event_publication alter column serialized_event set data type varchar(1000000);
