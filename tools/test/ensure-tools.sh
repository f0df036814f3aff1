#!/usr/bin/env bash
# Installs, from Debian's packages, what the tests need beyond Node.js when it is missing:
# Java and Maven (the Kafka broker of tools/kafka), docker compose (to check docker-compose.yml; there is
# no Docker engine here, only the file is validated), Chromium (the dashboard's end-to-end tests drive it
# headless through playwright-core, which downloads no browser of its own).
set -euo pipefail
missing=()
command -v mvn >/dev/null || missing+=(maven)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then missing+=(docker-compose); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "[test] missing: ${missing[*]} — install them (apt-get install ${missing[*]}) and run again" >&2
  exit 1
fi
echo "[test] installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
