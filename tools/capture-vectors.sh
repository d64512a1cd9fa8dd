#!/usr/bin/env bash
# Captures real RTMP traffic between real peers (ffmpeg, GStreamer, rtmpdump, nginx-rtmp) on loopback with
# tshark, and writes each TCP direction as raw bytes under gateway/src/test/resources/vectors/capture/.
# The tests replay these through our handshake, chunk and message decoders. Re-run only to refresh vectors.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/gateway/src/test/resources/vectors/capture"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$out" "$work/logs"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon on;
pid $work/nginx.pid;
error_log $work/logs/error.log info;
events {}
rtmp { server { listen 127.0.0.1:$port; chunk_size 4096; application live { live on; } } }
CONF
nginx -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

# A tiny deterministic source: 2 s of 160x90 H.264 (GOP 15) + AAC, so the vectors stay a few tens of KB.
ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=160x90:rate=15 -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 2 -c:v libx264 -preset ultrafast -g 15 -b:v 100k -c:a aac -b:a 32k -f flv -y "$work/src.flv"

# capture NAME CMD...: record loopback traffic on the nginx port while CMD runs; split into client/server bytes.
capture() {
  local name=$1; shift
  tshark -q -i lo -f "tcp port $port" -w "$work/$name.pcap" >/dev/null 2>&1 &
  local tpid=$!
  sleep 1.5
  "$@" >"$work/logs/$name.log" 2>&1 || true
  sleep 1
  kill -INT $tpid; wait $tpid || true
  python3 "$top/tools/split-tcp.py" "$work/$name.pcap" "$port" "$out/$name"
}

capture ffmpeg-publish ffmpeg -nostdin -loglevel error -re -i "$work/src.flv" -c copy -f flv "rtmp://127.0.0.1:$port/live/cap"

# Players need something live: publish in the background, loop-free 2 s source, and play from nginx.
play_with() {
  local name=$1; shift
  ffmpeg -nostdin -loglevel error -re -stream_loop 2 -i "$work/src.flv" -c copy -f flv "rtmp://127.0.0.1:$port/live/cap" &
  local pub=$!
  sleep 1
  capture "$name" "$@"
  kill $pub 2>/dev/null || true; wait $pub 2>/dev/null || true
}
play_with ffmpeg-play timeout 3 ffmpeg -nostdin -loglevel error -i "rtmp://127.0.0.1:$port/live/cap" -t 1.5 -c copy -f flv -y /dev/null
play_with rtmpdump-play timeout 3 rtmpdump -q -r "rtmp://127.0.0.1:$port/live/cap" -B 1.5 -o /dev/null
play_with gst-play timeout 4 gst-launch-1.0 -q rtmp2src location="rtmp://127.0.0.1:$port/live/cap" ! flvdemux ! fakesink num-buffers=60
capture gst-publish timeout 4 gst-launch-1.0 -q filesrc location="$work/src.flv" ! flvdemux name=d d.video ! h264parse ! flvmux name=m streamable=true ! rtmp2sink location="rtmp://127.0.0.1:$port/live/gst" d.audio ! aacparse ! m.
ls -la "$out"
