#!/usr/bin/env bash
# RSS per steady player (issue 13), in one server process: LOW players, then HIGH in all, each held until
# steady, RSS read at both. A fresh process per step (fanout.sh) also measures where the heap happened to be;
# here both readings come from the same heap, warmed up first.
#
#   benchmarks/scripts/rss-per-player.sh loomcast|nginx      (env: LOW [300] HIGH [1000] MERGE [0] SETTLE [20])
#   NMT=DIR: Loomcast with native memory tracking; its summary and heap at both readings go to DIR (where the
#   growth is: heap, thread stacks, NIO buffers, metaspace), with a class histogram of what is live (a full
#   collection, so the RSS of such a run is not the figure)
#
# The server runs alone on core 0; ffmpeg publishes a 60 s 720p 2.5 Mbit/s CBR clip (fanout.sh's) in a loop,
# and two `gateway bench play` processes hold the players, all on core 1. RSS is the mean of five readings a
# second apart, after SETTLE seconds past each ramp. Prints one line: RSS at LOW and HIGH, the growth per
# player, and the stalls of each bench (a stalled player's queue holds frames: such a reading is not steady).
# Needs ffmpeg, nginx with libnginx-mod-rtmp, taskset.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$top/benchmarks/scripts/fanout-common.sh"
server=$1
low=${LOW:-300} high=${HIGH:-1000} settle=${SETTLE:-20} merge=${MERGE:-0}
work=$(mktemp -d /tmp/rss-per-player.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="rtmp://127.0.0.1:$port/live/s"
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
mean_rss() { local s=0; for _ in 1 2 3 4 5; do s=$((s + $(rss_kib "$1"))); sleep 1; done; echo $((s / 5)); }
jcmd=$(ls -d /usr/lib/jvm/*/bin/jcmd | tail -n 1)
memory_report() { # memory_report PID NAME: NMT summary and heap, with NMT set
  [ -n "${NMT:-}" ] || return 0
  "$jcmd" "$1" VM.native_memory summary > "$NMT/nmt-$2.txt" 2>&1 || true
  "$jcmd" "$1" GC.heap_info > "$NMT/heap-$2.txt" 2>&1 || true
  # After the RSS reading: the histogram collects the heap first, which changes what the next reading finds.
  "$jcmd" "$1" GC.class_histogram > "$NMT/histogram-$2.txt" 2>&1 || true
}

(cd "$top" && bin/gateway --version >/dev/null)
clip=$work/src.flv
fanout_clip "$clip"

case $server in
  loomcast)
    printf 'server:\n  listen: 127.0.0.1:%s\n  chunkSize: 4096\n  mergeWrites: %s\n  maxConnections: 100000\n' \
      "$port" "$merge" > "$work/gw.yaml"
    nmt_opts=""; [ -n "${NMT:-}" ] && mkdir -p "$NMT" && nmt_opts="-XX:NativeMemoryTracking=summary"
    LOOMCAST_JAVA_OPTS="${LOOMCAST_JAVA_OPTS:-} $nmt_opts" LOOMCAST_LOG_LEVEL=WARN taskset -c 0 "$top/bin/gateway" run -c "$work/gw.yaml" > "$work/server.log" 2>&1 & ;;
  nginx)
    nginx_fanout_conf "$work" "$port" 4096
    taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" > "$work/server.log" 2>&1 & ;;
  *) echo "rss-per-player.sh: loomcast or nginx" >&2; exit 2 ;;
esac
pids+=($!)
wait_port "$port"
spid=$(ss -tlnpH "( sport = :$port )" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)

taskset -c 1 ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$clip" -c copy -f flv "$url" & pids+=($!)
sleep 3
play() { # play N SECONDS REPORT
  taskset -c 1 "$top/bin/gateway" bench play "$url" --clients "$1" --ramp 100/s --duration "$2s" --chunk-size 4096 \
    --allow-failures --report "$3" > "$3.out" 2>&1
}
# The same warm-up for both servers: a JVM compiles its fan-out path in the first seconds of traffic.
play 200 15 "$work/warm.json" || true
sleep 2
ramp_low=$(( (low + 99) / 100 )) ramp_high=$(( (high - low + 99) / 100 ))
total=$(( ramp_low + settle + 6 + ramp_high + settle + 6 + 5 ))
play "$low" "$total" "$work/low.json" & pids+=($!)
sleep $(( ramp_low + settle ))
rss_low=$(mean_rss "$spid")
memory_report "$spid" low
play "$(( high - low ))" $(( ramp_high + settle + 6 + 5 )) "$work/high.json" & pids+=($!)
sleep $(( ramp_high + settle ))
rss_high=$(mean_rss "$spid")
memory_report "$spid" high
wait "${pids[-1]}" "${pids[-2]}" || true
stalls() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["stalls"]["count"], r["failed"])' "$1"; }
read -r s_low f_low < <(stalls "$work/low.json")
read -r s_high f_high < <(stalls "$work/high.json")
python3 -c "
import sys
lo, hi, n = $rss_low, $rss_high, $high - $low
print(f'$server (mergeWrites $merge): RSS {lo/1024:.1f} MiB at $low players, {hi/1024:.1f} MiB at $high: '
      f'{(hi-lo)/n:.1f} KiB per player; stalls/failures {$s_low}/{$f_low} and {$s_high}/{$f_high}; '
      f'load {open(\"/proc/loadavg\").read().split()[0]}')"
