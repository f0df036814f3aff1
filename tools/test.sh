#!/usr/bin/env bash
# `npm test`: brings up what the tests need (tools from Debian when missing, PostgreSQL, a real Kafka
# broker), checks docker-compose.yml and the build artefacts (subgraph SDL, supergraph, dashboard types), then runs lint, type-check and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
say() { printf '[test] %s\n' "$*"; }
cleanup=()
on_exit() { for step in "${cleanup[@]}"; do eval "$step" >/dev/null 2>&1 || true; done; }
trap on_exit EXIT

bash tools/test/ensure-tools.sh

# PostgreSQL: TEST_DATABASE_URL, else the machine's server on 5432, else an embedded one.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
  else
    say "no PostgreSQL on 127.0.0.1:5432: starting an embedded one for the tests"
    node tools/test/embedded-postgres-for-tests.js &
    embedded_pg=$!
    cleanup+=("kill $embedded_pg")
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/54330) 2>/dev/null && break; sleep 0.2; done
    export TEST_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:54330/postgres
  fi
fi
say "PostgreSQL: ${TEST_DATABASE_URL%%@*}@…"

# Kafka: a real single-node broker fetched from Maven Central.
if [ -z "${KAFKA_BROKERS:-}" ]; then
  kafka_started_here=false
  if ! bash tools/kafka/kafka.sh status >/dev/null 2>&1; then
    bash tools/kafka/kafka.sh start
    kafka_started_here=true
  fi
  export KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-19092}
  if [ "$kafka_started_here" = true ] && [ -z "${KEEP_KAFKA:-}" ]; then cleanup+=("bash tools/kafka/kafka.sh stop"); fi
fi
say "Kafka: $KAFKA_BROKERS"
# MirrorMaker 2 for the federation end-to-end test (docs/deployments.md): fetched once, beside the broker's jars.
bash tools/kafka/mirror.sh fetch

say "checking docker-compose.yml"
compose_env=(env AUTH_JWT_SECRET=compose-config-check-only-0123456789 INCLUSIONS_MASTER_KEY=Y29tcG9zZS1jb25maWctY2hlY2stb25seS0wMTIzNDU= MEETINGS_MASTER_KEY=Y29tcG9zZS1jb25maWctY2hlY2stb25seS0wMTIzNDU= REPORTING_CELL_KEY_SECRET=compose-config-check-only-0123456789)
if docker compose version >/dev/null 2>&1; then
  "${compose_env[@]}" docker compose -f docker-compose.yml config -q
  "${compose_env[@]}" docker compose --profile federation -f docker-compose.yml config -q
else
  "${compose_env[@]}" docker-compose -f docker-compose.yml config -q
  "${compose_env[@]}" docker-compose --profile federation -f docker-compose.yml config -q
fi

say "checking the build artefacts: each subgraph's SDL, the supergraph, the dashboard's query types"
# Regenerated from the code and compared with the committed files: a change that alters them without
# committing them fails here (`npx nx run dashboard:codegen` regenerates all three, then commit).
node tools/build/build.js --all
for service in directory inclusions meetings training reporting notifications; do
  LOG_LEVEL=error node "dist/apps/$service/src/main.js" --sdl "apps/$service/schema.graphql" --check
done
node -r ./tools/register.js apps/gateway/src/compose-supergraph.cli.ts --check
node -r ./tools/register.js tools/codegen/dashboard-types.ts --check

rm -rf tmp/test-results && mkdir -p tmp/test-results
status=0
npx nx run-many -t lint typecheck --outputStyle=static || status=1
npx nx run-many -t test --outputStyle=static --parallel=1 || status=1
node tools/test/summary.js tmp/test-results || status=1
exit $status
