#!/usr/bin/env bash
# How many 1 Mbit/s players one core of `gateway bench` holds, and what the same costs with ffmpeg.
# The origin (nginx-rtmp with one worker, or Loomcast) and its publisher run on core 1; the players on core 0.
#
#   benchmarks/scripts/bench-one-core.sh bench  nginx|loomcast N [DURATION_S]   our players (BENCH_ARGS: more options)
#   benchmarks/scripts/bench-one-core.sh ffmpeg nginx|loomcast N [copy]         N `ffmpeg -i URL -f null -`
#
# Prints the bench summary (or the ffmpeg figure) and the players' CPU over a steady 10 s window: user and
# system time, and, summed over the process's threads, the time run and the time spent runnable but waiting
# for a CPU (the sign of a shared machine). Needs ffmpeg, nginx with libnginx-mod-rtmp, taskset, python3.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
what=$1 origin=$2 n=$3 extra=${4:-}
work=$(mktemp -d /tmp/bench-one-core.XXXXXX)
java=$(ls -d /usr/lib/jvm/*/bin/java | while read -r j; do
  s=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  [ "${s:-0}" -ge 21 ] && echo "$j"; done | tail -n 1)
jar=$top/gateway/target/loomcast-gateway.jar
[ -f "$jar" ] || (cd "$top" && ./mvnw -q -B -pl gateway -am package -DskipTests)
ulimit -n 20000
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="rtmp://127.0.0.1:$port/live/s"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

# A 20 s, 1 Mbit/s clip: 640x360 H.264 at a constant 900 kbit/s (filler), AAC 96 kbit/s, GOP 1 s; 25 fps and
# 44.1 kHz unless CLIP_FPS / CLIP_AUDIO_RATE say otherwise (issue 13's stream: CLIP_FPS=30 CLIP_AUDIO_RATE=48000).
fps=${CLIP_FPS:-25} audio_rate=${CLIP_AUDIO_RATE:-44100}
clip=$work/one-mbps.flv
ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=640x360:rate=$fps" -f lavfi -i "sine=sample_rate=$audio_rate" \
  -t 20 -c:v libx264 -preset veryfast -g "$fps" -b:v 900k -minrate 900k -maxrate 900k -bufsize 900k \
  -x264-params nal-hrd=cbr -c:a aac -b:a 96k -y "$clip"

if [ "$origin" = nginx ]; then
  cat > "$work/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 20000;
error_log $work/error.log warn;
pid $work/nginx.pid;
events { worker_connections 10000; }
rtmp { server { listen 127.0.0.1:$port; application live { live on; } } }
CONF
  taskset -c 1 nginx -c "$work/nginx.conf" -p "$work" > "$work/nginx.out" 2>&1 & pids+=($!)
else
  echo "server: {listen: 127.0.0.1:$port}" > "$work/gateway.yaml"
  taskset -c 1 "$java" -jar "$jar" run -c "$work/gateway.yaml" > "$work/gateway.log" 2>&1 & pids+=($!)
fi
for _ in $(seq 100); do ss -ltn | grep -q ":$port " && break; sleep 0.1; done
taskset -c 1 ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$clip" -c copy -f flv "$url" \
  > "$work/publish.log" 2>&1 & pids+=($!)
sleep 2 # the publisher's first GOP; the players' own TTFF shows any further wait

# steady PID...: CPU of these processes over 10 s, from /proc (jiffies are 10 ms; schedstat is in ns).
steady() {
  local u1 u2 r1 r2 w1 w2
  read -r u1 r1 w1 < <(cpu "$@"); sleep 10; read -r u2 r2 w2 < <(cpu "$@")
  python3 -c "u=$u2-$u1; print(f'players CPU over 10 s: {u/10:.1f}% of one core = {u/$n:.3f} ms per player-second;',
      f'ran {($r2-$r1)/1e8:.0f}%, runnable but waiting for a CPU {($w2-$w1)/1e8:.0f}% (summed over threads)')"
}
cpu() {
  local ticks=0 run=0 wait=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    read -r r w < <(cat /proc/"$p"/task/*/schedstat 2>/dev/null | awk '{r += $1; w += $2} END {printf "%.0f %.0f\n", r, w}')
    run=$((run + r)); wait=$((wait + w))
  done
  echo "$ticks $run $wait"
}

echo "$(date -u +%FT%TZ) $what vs $origin, $n players, clip $fps fps + $audio_rate Hz AAC; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$what" = bench ]; then
  duration=${extra:-30}
  taskset -c 0 "$java" -jar "$jar" bench play "$url" --clients "$n" --ramp 200/s --duration "${duration}s" \
    --report "$work/report.json" ${BENCH_ARGS:-} > "$work/bench.out" 2>&1 &
  bench=$!
  sleep $((duration - 12)); steady "$bench" > "$work/steady.txt"
  wait "$bench" || true
  sed -n '/^bench play/,$p' "$work/bench.out"
  cat "$work/steady.txt"
else
  codec=(); [ "$extra" = copy ] && codec=(-c copy)
  players=()
  for _ in $(seq "$n"); do
    taskset -c 0 ffmpeg -nostdin -loglevel error -i "$url" "${codec[@]}" -f null - > /dev/null 2>&1 & players+=($!)
  done
  pids+=("${players[@]}")
  sleep 6; steady "${players[@]}"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); files in $work"
