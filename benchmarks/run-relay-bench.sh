#!/usr/bin/env bash
# Relay measurements of issue 4 (results: benchmarks/RESULTS.md, section "relay"):
#   1. latency added by a relay hop (stamped frames; direct vs through Loomcast vs through nginx-rtmp's relay),
#   2. time to resume after the upstream publisher, or the upstream server, comes back,
#   3. CPU of the relay process for 1 source -> 1 and -> 10 destinations, Loomcast next to nginx-rtmp pull+push.
# Needs nginx with the RTMP module and ffmpeg (bin/test installs both). Prints a Markdown report on stdout;
# progress and the same lines on stderr; peer logs stay in the work directory it names.
#   benchmarks/run-relay-bench.sh                  20 s per latency path, CPU windows of 20 s after 10 s warm-up
#   LATENCY_SECONDS=10 CPU_WINDOW_SECONDS=10 CPU_WARMUP_SECONDS=5 PARTS=latency,cpu benchmarks/run-relay-bench.sh
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

java_spec() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1; }
java=""
for candidate in "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  [ -x "$candidate" ] || continue
  spec=$(java_spec "$candidate")
  if [ -n "$spec" ] && [ "$spec" -ge 21 ]; then java=$candidate; break; fi
done
[ -n "$java" ] || { echo "run-relay-bench: no Java 21+ found" >&2; exit 1; }

./mvnw -q -B -DskipTests package >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/loomcast-relay-bench.XXXXXX")
echo "run-relay-bench: peer logs in $work" >&2
{
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "software: $("$java" -version 2>&1 | head -n 1), $(nginx -v 2>&1), $(ffmpeg -version | head -n 1 | cut -d' ' -f1-3)"
  echo "command: benchmarks/run-relay-bench.sh (LATENCY_SECONDS=${LATENCY_SECONDS:-20}" \
    "CPU_WINDOW_SECONDS=${CPU_WINDOW_SECONDS:-20} CPU_WARMUP_SECONDS=${CPU_WARMUP_SECONDS:-10}" \
    "PARTS=${PARTS:-latency,reconnect,cpu}), date $(date -u +%Y-%m-%d)"
  "$java" -cp benchmarks/target/loomcast-benchmarks.jar io.loomcast.benchmarks.relay.RelayBench \
    gateway/target/loomcast-gateway.jar "$work" "${LATENCY_SECONDS:-20}" "${CPU_WINDOW_SECONDS:-20}" \
    "${CPU_WARMUP_SECONDS:-10}" "${PARTS:-latency,reconnect,cpu}"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
