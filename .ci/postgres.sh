#!/usr/bin/env bash
# Starts a local PostgreSQL for the tests and creates the role and database they use (idempotent).
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update && apt-get install -y --no-install-recommends postgresql
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status >/dev/null
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal') THEN
    CREATE ROLE portal LOGIN PASSWORD 'portal';
  END IF;
END $$;
SELECT 'CREATE DATABASE portal_test OWNER portal' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'portal_test')\gexec
SQL
