#!/usr/bin/env bash
# Fan-out, side by side in one run (issue 13): one 720p 2.5 Mbit/s stream played by N players, on Loomcast,
# nginx-rtmp and (when SRS_BIN points at an SRS build) SRS. Each server runs alone on core 0; the publisher
# and the players on core 1.
#
#   benchmarks/fanout.sh                   everything: the steps, the knee, the chunk sizes; writes
#                                          benchmarks/fanout/fanout.md (the table) and fanout.png (the chart)
#   STEPS="100 300" KNEE=0 CHUNKS=0 benchmarks/fanout.sh     a quick partial run
#
# Environment (defaults in brackets):
#   STEPS ["100 300 1000 2000"]   players per step, with `gateway bench latency` players
#   RTMPDUMP_STEPS ["100 300"]    the same with rtmpdump processes as players (no latency from those)
#   SERVERS ["loomcast loomcast-merge nginx srs srs-merge"]; the srs ones only with SRS_BIN set
#   MERGE [50ms]                  Loomcast's server.mergeWrites for "loomcast-merge"
#   WINDOW [15]  SETTLE [10]      seconds measured, after the ramp and this long a settle
#   WARMUP [15]                   seconds of 200 players on another stream before each step, for every server
#                                 (0: none, a cold JVM)
#   KNEE [1]  KNEE_FROM [600]  KNEE_STEP [200]  KNEE_MAX [2000]: then more players until each server fails
#   KNEE_SERVERS [SERVERS]        the servers the knee search runs for
#   CHUNKS [1]  CHUNK_PLAYERS [300]  CHUNK_SERVERS [SERVERS]: one step at chunk sizes 128, 4096, 65536
#   OUT [benchmarks/fanout]       where the table, the chart and the raw reports go
#
# Measured per server and step: CPU-seconds per delivered GB (the server's utime+stime over the window, over
# the bytes its sockets sent, from TCP_INFO via ss), RSS at the end of the window, delivered Gbit/s, stalls,
# TTFF p50/p95 and latency p50/p99 (bench players), and whether every player held real time (no stall,
# bitrate within 5% of the source). Needs: ffmpeg, rtmpdump, nginx with libnginx-mod-rtmp, taskset, python3
# with matplotlib (Debian: python3-matplotlib). Measure on a quiet machine: nothing else running.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/benchmarks/scripts/fanout-common.sh"
steps=(${STEPS-100 300 1000 2000})
rtmpdump_steps=(${RTMPDUMP_STEPS-100 300})
servers=(${SERVERS:-loomcast loomcast-merge nginx srs srs-merge})
merge=${MERGE:-50ms}
window=${WINDOW:-15}
settle=${SETTLE:-10}
warmup=${WARMUP:-15}
out=${OUT:-$top/benchmarks/fanout}
mkdir -p "$out/raw"
work=$(mktemp -d /tmp/fanout.XXXXXX)
results=$out/raw/results.jsonl
: > "$results"
pids=()
players=()
cleanup() { kill "${pids[@]}" "${players[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

for tool in ffmpeg rtmpdump nginx taskset; do
  command -v "$tool" >/dev/null || { echo "fanout.sh: $tool is missing (bin/test installs the peers)" >&2; exit 2; }
done
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || { echo "fanout.sh: needs python3-matplotlib (apt-get install python3-matplotlib)" >&2; exit 2; }
if [ -z "${SRS_BIN:-}" ] || [ ! -x "${SRS_BIN:-}" ]; then
  servers=($(printf '%s\n' "${servers[@]}" | grep -v '^srs' || true))
fi
only_present() { local s; for s in "$@"; do printf '%s\n' "${servers[@]}" | grep -qx "$s" && echo "$s"; done; true; }
chunk_servers=($(only_present ${CHUNK_SERVERS:-${servers[*]}}))
knee_servers=($(only_present ${KNEE_SERVERS:-${servers[*]}}))
echo "fanout.sh: servers ${servers[*]}; steps ${steps[*]}; load average $(cut -d' ' -f1-3 /proc/loadavg)"

(cd "$top" && bin/gateway --version >/dev/null)   # build once, outside any measured window
hz=$(getconf CLK_TCK)
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# Bytes the server's sockets on PORT have sent (TCP_INFO bytes_sent): the same measure for every server,
# whatever system call it writes with.
sent_bytes() { ss -tinH state established "( sport = :$1 )" | grep -o 'bytes_sent:[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {printf "%.0f", s}'; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# The source: 60 s of 1280x720 30 fps H.264 at a steady 2.5 Mbit/s, GOP 2 s, AAC 48 kHz 128 kbit/s.
src=$work/src.flv
fanout_clip "$src"
source_kbps=$(ffprobe -v error -show_entries format=bit_rate -of csv=p=0 "$src" | awk '{printf "%d", $1/1000}')
echo "fanout.sh: source $source_kbps kbit/s"

# start_server NAME PORT CHUNK -> sets server_pid
start_server() {
  local name=$1 port=$2 chunk=$3
  case $name in
    loomcast|loomcast-merge)
      local mw=0; [ "$name" = loomcast-merge ] && mw=$merge
      printf 'server:\n  listen: 127.0.0.1:%s\n  chunkSize: %s\n  mergeWrites: %s\n  maxConnections: 100000\n' \
        "$port" "$chunk" "$mw" > "$work/gw.yaml"
      # A JFR recording of every pinning of a virtual thread, counted when the server stops.
      LOOMCAST_JAVA_OPTS="${LOOMCAST_JAVA_OPTS:-} -XX:StartFlightRecording=settings=$top/benchmarks/scripts/pinned.jfc,filename=$work/server.jfr,dumponexit=true" \
        LOOMCAST_LOG_LEVEL=WARN taskset -c 0 "$top/bin/gateway" run -c "$work/gw.yaml" > "$work/$name.log" 2>&1 &
      server_pid=$! ;;
    nginx)
      nginx_fanout_conf "$work" "$port" "$chunk"
      taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" > "$work/nginx.log" 2>&1 &
      server_pid=$! ;;
    srs|srs-merge)
      # srs: SRS with merged writes off (no added delay); srs-merge: its default 350 ms merge window.
      local mw="mw_latency 0; mw_msgs 0;"; [ "$name" = srs-merge ] && mw="mw_latency 350;"
      cat > "$work/srs.conf" <<CONF
listen $port; max_connections 19000; daemon off; srs_log_tank console; srs_log_level warn;
chunk_size $chunk; in_docker off; pid $work/srs.pid;
vhost __defaultVhost__ { tcp_nodelay on; min_latency $( [ "$name" = srs ] && echo on || echo off );
  play { $mw gop_cache on; } }
CONF
      taskset -c 0 "$SRS_BIN" -c "$work/srs.conf" > "$work/srs.log" 2>&1 &
      server_pid=$! ;;
  esac
  pids+=("$server_pid")
  wait_port "$port"
  sleep 1
  warm_up "$port" "$chunk"
}

# warm_up PORT CHUNK: a warm-up before the measured step, the same for every server. A fresh JVM compiles its
# fan-out path in the first seconds of traffic; with 2,000 players waiting on one core, that compiling took
# 40% of the core for about 4 s after the publisher started, and stalled a third to half of the players. A
# server in service has long done it (RESULTS.md, issue 13, "the knee's stalls").
warm_up() {
  [ "$warmup" -gt 0 ] || return 0
  taskset -c 1 "$top/bin/gateway" bench latency "rtmp://127.0.0.1:$1/live/warmup" --file "$src" --players 200 \
    --ramp 200/s --duration "${warmup}s" --chunk-size "$2" --allow-failures > "$work/warmup.out" 2>&1 || true
  sleep 1
}

# stop_server: sets pinned to the number of jdk.VirtualThreadPinned events (Loomcast), else "-"; with
# pinned_tag set, the events themselves go to $out/raw/pinned-$pinned_tag.txt
stop_server() {
  kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true
  pinned=-
  if [ -f "$work/server.jfr" ]; then
    jfr_tool print --events jdk.VirtualThreadPinned "$work/server.jfr" > "$work/pinned.txt" || true
    pinned=$(grep -c 'jdk.VirtualThreadPinned' "$work/pinned.txt" || true)
    # Where a thread pinned, kept beside the step's report.
    [ "$pinned" -gt 0 ] && cp "$work/pinned.txt" "$out/raw/pinned-${pinned_tag:-step}.txt"
    rm -f "$work/server.jfr" "$work/pinned.txt"
  fi
}
# The jfr tool of the newest JDK here (bin/gateway runs Loomcast on a JDK >= 21).
jfr_bin=$(ls -d /usr/lib/jvm/*/bin/jfr | while read -r j; do
  v=$("$(dirname "$j")/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  echo "${v:-0} $j"; done | sort -n | tail -n 1 | cut -d' ' -f2)
jfr_tool() { "$jfr_bin" "$@"; }

# window_stats PID PORT -> "cpu_seconds bytes_sent rss_kib" over the measured window
window_stats() {
  local pid=$1 port=$2 c0 w0 c1 w1
  c0=$(cpu_ticks "$pid"); w0=$(sent_bytes "$port")
  sleep "$window"
  c1=$(cpu_ticks "$pid"); w1=$(sent_bytes "$port")
  echo "$(/usr/bin/python3 -c "print(($c1-$c0)/$hz)") $((w1 - w0)) $(rss_kib "$pid")"
}

# run_bench SERVER N CHUNK KIND: one step with `gateway bench latency` players; appends a result line
run_bench() {
  local name=$1 n=$2 chunk=$3 kind=$4 port; port=$(free_port)
  start_server "$name" "$port" "$chunk"
  local rss_idle; rss_idle=$(rss_kib "$server_pid")
  local ramp=$(( n / 10 > 100 ? n / 10 : 100 ))   # players per second; ramp over at most ~10 s
  local ramp_s=$(( (n + ramp - 1) / ramp ))
  local duration=$(( ramp_s + 3 + settle + window + 3 ))
  local report=$out/raw/$kind-$name-$n-c$chunk.json
  taskset -c 1 "$top/bin/gateway" bench latency "rtmp://127.0.0.1:$port/live/fan" --file "$src" --players "$n" \
    --ramp "$ramp/s" --duration "${duration}s" --chunk-size "$chunk" --allow-failures --report "$report" \
    > "$work/bench.out" 2>&1 &
  local bench=$!; pids+=("$bench")
  sleep $(( ramp_s + 3 + settle ))
  local stats; stats=$(window_stats "$server_pid" "$port")
  wait "$bench" || true
  pinned_tag=$kind-$name-$n-c$chunk stop_server
  /usr/bin/python3 "$top/benchmarks/scripts/fanout_report.py" line --kind "$kind" --server "$name" --players "$n" \
    --chunk "$chunk" --stats "$stats" --rss-idle "$rss_idle" --report "$report" --source-kbps "$source_kbps" \
    --window "$window" --pinned "$pinned" >> "$results"
  tail -n 1 "$results"
}

# run_rtmpdump SERVER N: one step with rtmpdump processes as players, and ffmpeg as the publisher
run_rtmpdump() {
  local name=$1 n=$2 port; port=$(free_port)
  start_server "$name" "$port" 4096
  local rss_idle; rss_idle=$(rss_kib "$server_pid")
  taskset -c 1 ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$src" -c copy -f flv \
    "rtmp://127.0.0.1:$port/live/fan" > "$work/publisher.log" 2>&1 &
  local pub=$!; pids+=("$pub")
  sleep 3
  local i p alive=0
  players=()
  for i in $(seq "$n"); do
    taskset -c 1 rtmpdump -q -v -r "rtmp://127.0.0.1:$port/live/fan" -o /dev/null > /dev/null 2>&1 &
    players+=($!)
    [ $((i % 50)) -eq 0 ] && sleep 0.5
  done
  sleep "$settle"
  local stats; stats=$(window_stats "$server_pid" "$port")
  for p in "${players[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
  kill "${players[@]}" 2>/dev/null || true
  wait "${players[@]}" 2>/dev/null || true
  players=()
  kill "$pub" 2>/dev/null || true; wait "$pub" 2>/dev/null || true
  pinned_tag=rtmpdump-$name-$n stop_server
  /usr/bin/python3 "$top/benchmarks/scripts/fanout_report.py" line --kind rtmpdump --server "$name" --players "$n" \
    --chunk 4096 --stats "$stats" --rss-idle "$rss_idle" --alive "$alive" --source-kbps "$source_kbps" \
    --window "$window" --pinned "$pinned" >> "$results"
  tail -n 1 "$results"
}

for n in "${steps[@]}"; do
  for s in "${servers[@]}"; do run_bench "$s" "$n" 4096 bench; done
done
for n in "${rtmpdump_steps[@]}"; do
  for s in "${servers[@]}"; do run_rtmpdump "$s" "$n"; done
done
if [ "${CHUNKS:-1}" = 1 ]; then
  for c in 128 4096 65536; do
    for s in "${chunk_servers[@]}"; do run_bench "$s" "${CHUNK_PLAYERS:-300}" "$c" chunk; done
  done
fi
if [ "${KNEE:-1}" = 1 ]; then
  # More players until the server no longer holds every one in real time.
  for s in "${knee_servers[@]}"; do
    n=${KNEE_FROM:-600}
    while [ "$n" -le "${KNEE_MAX:-2000}" ]; do
      run_bench "$s" "$n" 4096 knee
      tail -n 1 "$results" | grep -q '"realtime": true' || break
      n=$(( n + ${KNEE_STEP:-200} ))
    done
  done
fi
/usr/bin/python3 "$top/benchmarks/scripts/fanout_report.py" table --results "$results" --out "$out" \
  --load "$(cut -d' ' -f1-3 /proc/loadavg)" --source-kbps "$source_kbps"
echo "fanout.sh: wrote $out/fanout.md and $out/fanout.png"
