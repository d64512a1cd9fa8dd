#!/usr/bin/env bash
# Issue 3's server measurements, side by side in one run:
#  - gateway CPU and RSS with 1 publisher (720p, 2.5 Mbit/s) and N local players, against nginx-rtmp
#    (worker_processes 1) under the same load; the server under test is pinned to core 1, the publisher
#    and the players (bin/gateway bench play) to core 0;
#  - time to first frame for a new player with the GOP cache on and off.
# Usage: benchmarks/scripts/hub-load.sh [PLAYERS...]   (default: 200 1000)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
players=("${@:-200}")
[ $# -eq 0 ] && players=(200 1000)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
window=${WINDOW_SECONDS:-20}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=sample_rate=48000 \
  -t 20 -c:v libx264 -preset veryfast -g 60 -b:v 2500k -maxrate 2500k -bufsize 2500k -pix_fmt yuv420p \
  -c:a aac -b:a 128k -y "$work/src.flv"
(cd "$top" && bin/gateway --version >/dev/null)   # build once, outside the measured window
hz=$(getconf CLK_TCK)

start_loomcast() { # $1 port, $2 gop cache on/off -> pid
  cat > "$work/gw.yaml" <<CONF
server:
  listen: 127.0.0.1:$1
  gopCache: {enabled: $2}
CONF
  LOOMCAST_LOG_LEVEL=WARN taskset -c 1 "$top/bin/gateway" run -c "$work/gw.yaml" > "$work/gw.log" 2>&1 &
  echo $!
}

start_nginx() { # $1 port -> pid
  cat > "$work/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off; master_process off; worker_processes 1; error_log $work/nginx-error.log warn; pid $work/nginx.pid;
events { worker_connections 4096; }
rtmp { server { listen 127.0.0.1:$1; chunk_size 4096; application live { live on; } } }
CONF
  taskset -c 1 nginx -c "$work/nginx.conf" -p "$work" > "$work/nginx.log" 2>&1 &
  echo $!
}

# measure NAME PID PORT N: publisher + N players; CPU% and RSS of PID over the steady window.
measure() {
  local name=$1 pid=$2 port=$3 n=$4
  wait_port "$port"
  taskset -c 0 ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$work/src.flv" -c copy -f flv \
    "rtmp://127.0.0.1:$port/live/load" &
  local pub=$!
  sleep 2
  local ramp=$(( n / 5 > 50 ? n / 5 : 50 ))
  taskset -c 0 "$top/bin/gateway" bench play "rtmp://127.0.0.1:$port/live/load" --clients "$n" --ramp "$ramp/s" \
    --duration "$((window + 10))s" --read-interval 200ms --allow-failures --report "$work/$name-$n.json" \
    > "$work/$name-$n.out" 2>&1 &
  local bench=$!
  sleep 7   # ramp-up, then the steady window
  local c0 r0 c1
  c0=$(cpu_ticks "$pid")
  sleep "$window"
  c1=$(cpu_ticks "$pid")
  r0=$(rss_kib "$pid")
  wait $bench || true
  kill $pub 2>/dev/null || true; wait $pub 2>/dev/null || true
  local cpu
  cpu=$(python3 -c "print(round(100*($c1-$c0)/$hz/$window,1))")
  local connected
  connected=$(python3 -c "import json;d=json.load(open('$work/$name-$n.json'));print(d['connected'],d['failed'],round(d['bytes']['received']/max(1,d['connected'])/1e6,1),d['stalls']['count'],'bitrate_p50_kbps',d['bitrateKbps']['p50'])")
  echo "$name players=$n cpu%=$cpu rss_mib=$((r0/1024)) connected/failed/MB-per-player/stalls=$connected"
}

for n in "${players[@]}"; do
  port=$(free_port); pid=$(start_loomcast "$port" true)
  # bin/gateway execs java, so the pid is the JVM's once it runs.
  measure loomcast "$pid" "$port" "$n"; kill "$pid"; wait "$pid" 2>/dev/null || true
  port=$(free_port); pid=$(start_nginx "$port")
  measure nginx "$pid" "$port" "$n"; kill "$pid"; wait "$pid" 2>/dev/null || true
done

# Time to first frame: 20 players join a running stream, GOP cache on and off (GOP is 2 s).
for gop in true false; do
  port=$(free_port); pid=$(start_loomcast "$port" "$gop"); wait_port "$port"
  taskset -c 0 ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$work/src.flv" -c copy -f flv \
    "rtmp://127.0.0.1:$port/live/ttff" & pub=$!
  sleep 3
  taskset -c 0 "$top/bin/gateway" bench play "rtmp://127.0.0.1:$port/live/ttff" --clients 20 --ramp 4/s \
    --duration 10s --allow-failures --report "$work/ttff-$gop.json" > /dev/null 2>&1 || true
  python3 -c "import json;t=json.load(open('$work/ttff-$gop.json'))['ttffMs'];print('ttff gopCache=$gop p50=%s p99=%s max=%s ms' % (t['p50'],t['p99'],t['max']))"
  kill $pub "$pid" 2>/dev/null; wait $pub "$pid" 2>/dev/null || true
done
