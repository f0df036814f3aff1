#!/usr/bin/env bash
# Apache Kafka MirrorMaker 2 in dedicated mode (connect-mirror on connect-runtime, from Maven Central), one
# process per link between two deployments' clusters (docs/deployments.md).
#   MIRROR_CONFIG=<mm2.properties> MIRROR_DATA=<folder> bash tools/kafka/mirror.sh fetch|start|stop|status
# MIRROR_CONFIG is written by tools/federation (mm2-config.ts), MIRROR_DATA holds the process's pid and log.
# Jars: mirror/pom.xml → .lib/mirror-<version>/, a folder of its own beside the broker's; its .complete marker
# holds the pom's checksum, so that a changed pom (or a broker-only fetch) is noticed and fetched again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pom="$here/mirror/pom.xml"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
lib="$here/.lib/mirror-$version"
data="${MIRROR_DATA:-$here/.data/mirror}"
mkdir -p "$data"
data="$(cd "$data" && pwd)"
pidfile="$data/mirror.pid"
log="$data/mirror.log"
say() { printf '[mirror] %s\n' "$*"; }
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

fetch() {
  local sum; sum="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [ -f "$lib/.complete" ] && [ "$(cat "$lib/.complete")" = "$sum" ]; then return; fi
  command -v mvn >/dev/null || { say "Maven is needed to fetch MirrorMaker 2 (apt-get install -y maven)"; exit 1; }
  say "fetching MirrorMaker 2 (Kafka $version) from Maven Central"
  rm -rf "$lib"
  mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies
  echo "$sum" > "$lib/.complete"
}

start() {
  if running; then say "already running (pid $(cat "$pidfile"))"; return; fi
  [ -n "${MIRROR_CONFIG:-}" ] && [ -f "$MIRROR_CONFIG" ] || { say "MIRROR_CONFIG must name an mm2.properties file"; exit 2; }
  fetch
  cat > "$data/log4j.properties" <<LOG4J
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
# "Kafka MirrorMaker started" tells start() the flows run.
log4j.logger.org.apache.kafka.connect.mirror.MirrorMaker=INFO
LOG4J
  : > "$log"
  say "starting with $MIRROR_CONFIG"
  nohup java -Xms128m -Xmx${MIRROR_HEAP:-384m} -XX:+UseSerialGC -Dlog4j.configuration="file:$data/log4j.properties" -cp "$lib/*" \
    org.apache.kafka.connect.mirror.MirrorMaker "$MIRROR_CONFIG" >>"$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 240); do
    if ! running; then say "MirrorMaker exited; last lines of $log:"; tail -n 30 "$log"; exit 1; fi
    if grep -q "Kafka MirrorMaker started" "$log" 2>/dev/null; then say "started (pid $(cat "$pidfile"))"; return; fi
    sleep 0.5
  done
  say "not started after 120 s; last lines of $log:"; tail -n 30 "$log"; stop; exit 1
}

stop() {
  if ! running; then rm -f "$pidfile"; say "not running"; return; fi
  local pid; pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  say "stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) if running; then say "running (pid $(cat "$pidfile"))"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
