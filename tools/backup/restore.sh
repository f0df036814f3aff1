#!/usr/bin/env bash
# Restores a backup of tools/backup/backup.sh into a FRESH database (refuses one that already holds
# a schema of the backup), in one transaction. Then start the platform on it (DEMO_DATA=false): every
# projection starts from the beginning and rebuilds its read model, the relays publish every event
# again (consumers drop what they already have) and the reporting service rebuilds its indicators.
#
#   DATABASE_URL=postgres://…/fresh tools/backup/restore.sh backup.dump
set -euo pipefail
in=${1:?usage: DATABASE_URL=… tools/backup/restore.sh <file.dump>}
url=${DATABASE_URL:?set DATABASE_URL to the fresh database to restore into}
bin=${PG_BIN:+$PG_BIN/}

schemas=$("${bin}pg_restore" --list "$in" | awk '$4 == "SCHEMA" { print $6 }' | sort -u | tr '\n' ' ')
existing=$("${bin}psql" "$url" -v ON_ERROR_STOP=1 -Atc "select string_agg(nspname, ' ') from pg_namespace where nspname = any(string_to_array(trim('$schemas'), ' '))")
if [ -n "$existing" ]; then
  echo "restore: the database already holds schema(s) $existing: restore into a fresh database" >&2
  exit 1
fi
"${bin}pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$url" "$in"
echo "restore: schemas $schemas restored; start the platform on this database to rebuild the read models"
