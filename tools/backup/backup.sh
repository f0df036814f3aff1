#!/usr/bin/env bash
# Backs up what cannot be rebuilt: each service's event store and its key tables, with the structure of
# every table of its schema (read models are restored empty and rebuilt from the events at start).
#
#   DATABASE_URL=postgres://… tools/backup/backup.sh backup.dump
#
# Kept with their rows, per schema: events, event_store_migrations, read_model_migrations (so that the
# restored structure is not migrated twice), patient_keys (inclusions, meetings: the wrapped data keys,
# useless without the master key, which is NOT in the backup: keep it in escrow), identity_reads
# (inclusions: the audit of identity reads, written directly, not derived from events).
# Everything else — read models, projection and relay checkpoints, idempotency records, the reporting
# schema (derived from integration events) and the PostgreSQL bus (refilled by the relays) — is rebuilt.
#
# Settings: BACKUP_SCHEMAS (default "directory inclusions meetings training"; in the distributed mode,
# one database per service: run it once per database with BACKUP_SCHEMAS=<service>), PG_BIN (folder of
# a pg_dump at least as new as the server). See docs/observability-and-recovery.md.
set -euo pipefail
out=${1:?usage: DATABASE_URL=… tools/backup/backup.sh <file.dump>}
url=${DATABASE_URL:?set DATABASE_URL to the database to back up}
schemas=${BACKUP_SCHEMAS:-directory inclusions meetings training}
keep='events|event_store_migrations|read_model_migrations|patient_keys|identity_reads'
bin=${PG_BIN:+$PG_BIN/}

present=$("${bin}psql" "$url" -v ON_ERROR_STOP=1 -Atc "select string_agg(nspname, ' ' order by nspname) from pg_namespace where nspname = any(string_to_array('$schemas', ' '))")
for schema in $schemas; do
  case " $present " in *" $schema "*) ;; *) echo "backup: schema $schema does not exist in this database" >&2; exit 1 ;; esac
done

args=(--format=custom --no-owner --no-privileges --file "$out")
for schema in $schemas; do args+=(--schema "$schema"); done
# The structure of every table, the rows of the kept ones only.
while IFS= read -r table; do
  [ -n "$table" ] && args+=("--exclude-table-data=$table")
done < <("${bin}psql" "$url" -v ON_ERROR_STOP=1 -Atc "
  select format('%I.%I', table_schema, table_name) from information_schema.tables
   where table_schema = any(string_to_array('$schemas', ' ')) and table_type = 'BASE TABLE' and table_name !~ '^($keep)\$'")

"${bin}pg_dump" "$url" "${args[@]}"

# What the backup holds, to compare after a restore.
for schema in $schemas; do
  events=$("${bin}psql" "$url" -Atc "select count(*) from \"$schema\".events" 2>/dev/null || echo 0)
  keys=$("${bin}psql" "$url" -Atc "select count(*) from \"$schema\".patient_keys" 2>/dev/null || echo -)
  echo "backup: $schema: $events events, patient keys: $keys"
done
echo "backup: written to $out ($(wc -c < "$out") bytes)"
