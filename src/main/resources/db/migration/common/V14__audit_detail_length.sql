-- An audit record's detail holds the longest text the portal accepts (a 2,000-character comment or reason) with the
-- words around it ("Plan 1a2b3c4d5e6f: ..."), which 2,000 characters cut off.
alter table audit_entry alter column detail set data type varchar(8000);
