#!/usr/bin/env bash
# Proves that `npm start` works from a folder other users cannot traverse (a clone under a 0700 folder, as
# under /root), as root: the embedded PostgreSQL must still start, the gateway become ready, and Ctrl-C
# stop everything cleanly. Used by .ci/run before the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { printf '[start-check] %s\n' "$*"; }
folder=$(mktemp -d)
chmod 700 "$folder"
pid=
cleanup() {
  [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null || true
  rm -rf "$folder"
}
trap cleanup EXIT
git clone -q "$PWD" "$folder/clone"
# The dependencies this checkout installed, linked rather than fetched again: what is checked is the folder.
cp -al node_modules "$folder/clone/node_modules"
log="$folder/start.log"
offset=${START_CHECK_PORT_OFFSET:-9500}
(cd "$folder/clone" && PORT_OFFSET=$offset EMBEDDED_POSTGRES_PORT=${START_CHECK_PG_PORT:-24361} DEMO_HISTORY=false DATABASE_URL= \
  SERVICE_READY_TIMEOUT_S=${SERVICE_READY_TIMEOUT_S:-300} exec node tools/start/start.js) >"$log" 2>&1 &
pid=$!
say "npm start in $folder/clone (mode $(stat -c %a "$folder"))"
# Wait while the platform makes progress: it prints "platform ready", or exits.
until grep -q 'platform ready' "$log"; do
  if ! kill -0 "$pid" 2>/dev/null; then say "npm start exited before it was ready:"; tail -n 40 "$log"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$((4000 + offset))/health/ready" >/dev/null || { say "gateway not ready"; tail -n 40 "$log"; exit 1; }
say "$(grep -o 'platform ready in [0-9.]* s' "$log")"
kill -INT "$pid"
status=0
wait "$pid" || status=$?
pid=
if [ "$status" -ne 0 ] || grep -qiE '57P01|unhandled|uncaught' "$log"; then
  say "Ctrl-C did not stop cleanly (exit $status):"; tail -n 40 "$log"; exit 1
fi
data_dir=$(sed -n 's/.*data kept in \(.*\)$/\1/p' "$log" | head -n1)
[ -n "$data_dir" ] && rm -rf "$(dirname "$data_dir")"
say "stopped cleanly"
