#!/usr/bin/env bash
# One relay's CPU at steady state, and where it goes: 1 ffmpeg publisher -> Loomcast -> N pushes to nginx-rtmp,
# then the same through nginx-rtmp's own `push`. The relay's CPU (utime+stime from /proc) is read over WINDOW
# seconds after WARM seconds: the JVM's JIT is still compiling for the first minute or so, and a short warm-up
# measures that more than the relay (benchmarks/RESULTS.md, "Pushes at steady state").
#
#   benchmarks/scripts/relay-cpu.sh [N [WARM [WINDOW]]]      default 10 pushes, 120 s, 30 s
#   WHO=loomcast|nginx|both (default both)   JAVA_OPTS="..."   REPS=k (k windows in a row, Loomcast)
#   MERGE=50ms: Loomcast's server.mergeWrites
#   PULL=1: the relay pulls the source from an nginx-rtmp origin (nginx-rtmp: a static `pull`) instead of
#           taking a publisher, then pushes it as before. nginx-rtmp then pulls but pushes nothing (its
#           destinations' CPU stays at 0): it does not push a stream that its own pull feeds.
#   Each Loomcast window also gives its young collections and an estimate of the bytes allocated a second.
#   PROFILE=1: async-profiler (fetched from Maven Central into ~/.cache) samples Loomcast's CPU over the window;
#              the collapsed stacks and a summary by bucket land in the work directory.
# Needs ffmpeg, nginx with libnginx-mod-rtmp and a JDK >= 21 (bin/test installs the peers).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-10} warm=${2:-120} win=${3:-30}
java=$(ls -d /usr/lib/jvm/*/bin/java | while read -r j; do
  s=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  [ "${s:-0}" -ge 21 ] && echo "$j"; done | tail -n 1)
jcmd=${java%/java}/jcmd
jar=$top/gateway/target/loomcast-gateway.jar
[ -f "$jar" ] || (cd "$top" && ./mvnw -q -B -pl gateway -am package -DskipTests)
work=$(mktemp -d /tmp/relay-cpu.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
listening() { for _ in $(seq 200); do ss -ltn | grep -q ":$1 " && return 0; sleep 0.1; done; echo "nothing on $1" >&2; return 1; }

profiler=""
if [ -n "${PROFILE:-}" ]; then
  ap_version=4.2
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/loomcast/async-profiler-$ap_version
  if [ ! -f "$cache/libasyncProfiler.so" ]; then
    mkdir -p "$cache"
    curl -fsSL -o "$cache/ap.jar" \
      "https://repo1.maven.org/maven2/tools/profiler/async-profiler/$ap_version/async-profiler-$ap_version-linux-x64.jar"
    (cd "$cache" && unzip -o -q -j ap.jar linux-x64/libasyncProfiler.so)
  fi
  profiler=$cache/libasyncProfiler.so
fi

# The clip of run-relay-bench.sh: 10 s of 720p30 H.264 at 2.5 Mbit/s and 48 kHz AAC, looped by the publisher.
clip=$work/clip720.flv
ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 \
  -t 10 -c:v libx264 -preset ultrafast -b:v 2500k -maxrate 2500k -bufsize 5000k -g 60 -c:a aac -b:a 128k -y "$clip"

nginx_conf() { # DIR PORT APPLICATIONS
  mkdir -p "$1"
  cat > "$1/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off; master_process off; error_log $1/error.log warn; pid $1/nginx.pid;
events {}
rtmp { server { listen 127.0.0.1:$2; $3 } }
CONF
}
dport=$(free_port)
apps=""; for i in $(seq 0 9); do apps="$apps application d$i { live on; }"; done
nginx_conf "$work/dest" "$dport" "$apps"
nginx -c "$work/dest/nginx.conf" -p "$work/dest" & dest=$!; pids+=("$dest")
listening "$dport"
origin=""
if [ -n "${PULL:-}" ]; then
  oport=$(free_port)
  nginx_conf "$work/origin" "$oport" "application origin { live on; }"
  nginx -c "$work/origin/nginx.conf" -p "$work/origin" & origin=$!; pids+=("$origin")
  listening "$oport"
fi

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# A JVM's young collections so far, its eden's capacity and its use now (HotSpot's perf counters; nothing for
# nginx-rtmp): the bytes allocated over a window are about the collections times eden plus the change in use.
young() {
  "$jcmd" "$1" PerfCounter.print 2> /dev/null | awk -F= '/^sun.gc.collector.0.invocations=/ {i = $2}
    /^sun.gc.generation.0.space.0.capacity=/ {c = $2} /^sun.gc.generation.0.space.0.used=/ {u = $2}
    END {if (i != "") print i, c, u}'
}
# The destinations' CPU is read over the same window. On loopback, a segment that TCP holds back (Nagle) is sent
# later from the processing of the receiver's acknowledgement, and that work, with the receiver's own, is charged
# to the receiver: a relay that leaves Nagle on can move part of its sending cost to the destinations' process.
# System calls over the window, counted by perf (tracepoints) when it is there. ffmpeg's socket leaves Nagle on,
# so its messages may reach the relay together or one by one; the counts tell a run where they grouped
# differently from one where only the machine was slower (one build's CPU moved by half within an hour).
reads="syscalls:sys_enter_read,syscalls:sys_enter_readv,syscalls:sys_enter_recvfrom"
writes="syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_sendto"
counters=()
count_calls() { # PID FILE: counts in the background for the window
  if command -v perf > /dev/null; then
    perf stat -x, -e "$reads,$writes" -p "$1" -- sleep "$win" 2> "$2" & counters+=($!)
  fi
}
measure() { # PID NAME: one window, after the warm-up
  local c0 t0 c1 t1 d0 d1 rss y0 y1
  rm -f "$work/calls-relay.csv" "$work/calls-publisher.csv"; counters=()
  count_calls "$1" "$work/calls-relay.csv"; count_calls "$pub" "$work/calls-publisher.csv"
  y0=$(young "$1" || true)
  c0=$(ticks "$1"); d0=$(ticks "$dest"); t0=$(date +%s.%N); sleep "$win"
  c1=$(ticks "$1"); d1=$(ticks "$dest"); t1=$(date +%s.%N)
  y1=$(young "$1" || true)
  [ ${#counters[@]} -eq 0 ] || wait "${counters[@]}" 2> /dev/null || true
  rss=$(awk '/VmRSS/{print $2}' "/proc/$1/status")
  python3 - "$2" "$n" "$c0" "$c1" "$t0" "$t1" "$at" "$rss" "$(cut -d' ' -f1-3 /proc/loadavg)" "$d0" "$d1" "$work" "$reads" "$y0" "$y1" <<'PY'
import os, sys
name, n, c0, c1, t0, t1, after, rss, load, d0, d1, work, reads, y0, y1 = sys.argv[1:]
wall = float(t1) - float(t0)
relay = (int(c1) - int(c0)) / 100 / wall * 100
dest = (int(d1) - int(d0)) / 100 / wall * 100
print(f"{name}, {n} pushes: {relay:.2f}% of one core over {wall:.0f} s after {after} s "
      f"(destinations {dest:.2f}%, together {relay + dest:.2f}%); RSS {int(rss) / 1024:.0f} MiB; load average {load}")
def calls(who):
    path = os.path.join(work, f"calls-{who}.csv")
    if not os.path.exists(path):
        return None
    got = {"read": 0, "write": 0}
    for line in open(path):
        f = line.split(",")
        if len(f) > 2 and f[0].strip().isdigit():
            got["read" if f[2] in reads.split(",") else "write"] += int(f[0])
    # Nothing counted: perf could not trace here (permissions), and zeros would read as a figure.
    return {k: v / wall for k, v in got.items()} if sum(got.values()) else None
if y0 and y1:
    (i0, _, u0), (i1, cap, u1) = (map(int, y.split()) for y in (y0, y1))
    allocated = (i1 - i0) * cap + u1 - u0
    print(f"  heap: {i1 - i0} young collections, about {allocated / wall / 1e6:.2f} MB a second allocated "
          f"(eden {cap / 2**20:.0f} MiB)")
r, p = calls("relay"), calls("publisher")
if r and p:
    print(f"  system calls a second: the publisher's writes {p['write']:.0f}; the relay's reads {r['read']:.0f} "
          f"and writes {r['write']:.0f}")
PY
}
publish() { ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$clip" -c copy -f flv "$1" > "$work/publish.log" 2>&1 & pub=$!; }

echo "relay-cpu: $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); files in $work"
if [ "${WHO:-both}" != nginx ]; then
  gport=$(free_port)
  { echo "server: {listen: 127.0.0.1:$gport${MERGE:+, mergeWrites: $MERGE}}"; echo "relay: {linger: 5s}"; echo "routes:"
    echo "  - stream: relay/ingest"
    [ -n "$origin" ] && echo "    pull: {urls: [\"rtmp://127.0.0.1:$oport/origin/ingest\"], mode: always}"
    echo "    push:"
    for i in $(seq 0 $((n - 1))); do echo "      - rtmp://127.0.0.1:$dport/d$i/{name}"; done; } > "$work/gateway.yaml"
  # shellcheck disable=SC2086
  "$java" ${JAVA_OPTS:-} -jar "$jar" run -c "$work/gateway.yaml" > "$work/gateway.log" 2>&1 & gw=$!; pids+=("$gw")
  listening "$gport"
  if [ -n "$origin" ]; then publish "rtmp://127.0.0.1:$oport/origin/ingest"; else
    publish "rtmp://127.0.0.1:$gport/relay/ingest"; fi; pids+=("$pub")
  sleep "$warm"
  [ -n "$profiler" ] && "$jcmd" "$gw" JVMTI.agent_load "$profiler" "\"start,event=cpu,interval=1ms,threads\"" > /dev/null
  at=$warm
  for _ in $(seq "${REPS:-1}"); do measure "$gw" "Loomcast (JAVA_OPTS='${JAVA_OPTS:-}')"; at=$((at + win)); done
  if [ -n "$profiler" ]; then
    "$jcmd" "$gw" JVMTI.agent_load "$profiler" "\"stop,file=$work/loomcast.collapsed,collapsed\"" > /dev/null
    python3 "$top/benchmarks/scripts/profile_buckets.py" "$work/loomcast.collapsed"
  fi
  for p in "${pids[@]}"; do [ "$p" = "$dest" ] || [ "$p" = "$origin" ] || kill "$p"; done
  pids=("$dest"); [ -n "$origin" ] && pids+=("$origin")
fi
if [ "${WHO:-both}" != loomcast ]; then
  push=""; for i in $(seq 0 $((n - 1))); do push="$push push rtmp://127.0.0.1:$dport/d$i;"; done
  nport=$(free_port)
  pull=""; [ -n "$origin" ] && pull="pull rtmp://127.0.0.1:$oport/origin/cpu name=cpu static;"
  nginx_conf "$work/relay" "$nport" "application fan { live on; $pull $push }"
  nginx -c "$work/relay/nginx.conf" -p "$work/relay" & nr=$!; pids+=("$nr")
  listening "$nport"
  if [ -n "$origin" ]; then publish "rtmp://127.0.0.1:$oport/origin/cpu"; else
    publish "rtmp://127.0.0.1:$nport/fan/cpu"; fi; pids+=("$pub")
  sleep "$warm"
  at=$warm
  measure "$nr" "nginx-rtmp"
fi
