-- Failed sign-ins are throttled in memory by user name and client address (LoginThrottle); an account is no
-- longer locked, so its counters go.
alter table account drop column failed_attempts;
alter table account drop column locked_until;
