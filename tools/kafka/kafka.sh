#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, no ZooKeeper) for development and tests.
#   bash tools/kafka/kafka.sh fetch|start|stop|status|reset
# Jars come from Maven Central (pom.xml → .lib/kafka-<version>/), data and logs live in .data/ (both git-ignored).
# KAFKA_PORT (default 19092) and KAFKA_CONTROLLER_PORT (default 19093) on 127.0.0.1.
# KAFKA_DATA (default tools/kafka/.data) holds one broker's configuration, storage, log and pid: a second
# broker (its own ports and KAFKA_DATA) can run beside the shared one, e.g. for a test that restarts it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
# One folder per version: raising the version in pom.xml fetches beside the jars a running broker uses.
lib="$here/.lib/kafka-$version"
data="${KAFKA_DATA:-$here/.data}"
mkdir -p "$(dirname "$data")"
data="$(cd "$(dirname "$data")" && pwd)/$(basename "$data")"
port="${KAFKA_PORT:-19092}"
controller_port="${KAFKA_CONTROLLER_PORT:-19093}"
pidfile="$data/kafka.pid"
log="$data/kafka.log"
say() { printf '[kafka] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

fetch() {
  if [ -f "$lib/.complete" ]; then return; fi
  command -v mvn >/dev/null || { say "Maven is needed to fetch the broker (apt-get install -y maven)"; exit 1; }
  say "fetching Kafka $version from Maven Central"
  rm -rf "$lib"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies
  touch "$lib/.complete"
}

configure() {
  mkdir -p "$data/logs"
  cat > "$data/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
PROPERTIES
  cat > "$data/log4j.properties" <<LOG4J
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
# Its "Kafka Server started" line tells start() the broker is ready.
log4j.logger.kafka.server.KafkaRaftServer=INFO
LOG4J
}

java_cmd() {
  java -Xms256m -Xmx512m -XX:+UseG1GC -Dlog4j.configuration="file:$data/log4j.properties" -cp "$lib/*" "$@"
}

start() {
  if running && port_open "$port"; then say "already running on 127.0.0.1:$port"; return; fi
  fetch
  configure
  if [ ! -f "$data/logs/meta.properties" ]; then
    java_cmd kafka.tools.StorageTool format -t "$(java_cmd kafka.tools.StorageTool random-uuid)" -c "$data/server.properties" >/dev/null
  fi
  say "starting on 127.0.0.1:$port"
  : > "$log"
  nohup java -Xms256m -Xmx512m -XX:+UseG1GC -Dlog4j.configuration="file:$data/log4j.properties" -cp "$lib/*" kafka.Kafka "$data/server.properties" >>"$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if ! running; then say "the broker exited; last lines of $log:"; tail -n 30 "$log"; exit 1; fi
    if port_open "$port" && grep -q "Kafka Server started" "$log" 2>/dev/null; then
      say "ready on 127.0.0.1:$port"; return
    fi
    sleep 0.5
  done
  say "not ready after 60 s; last lines of $log:"; tail -n 30 "$log"; stop; exit 1
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

status() {
  if running && port_open "$port"; then say "running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; else say "not running"; return 1; fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$data"; say "data removed" ;;
  *) echo "usage: $0 fetch|start|stop|status|reset" >&2; exit 2 ;;
esac
