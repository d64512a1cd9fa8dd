#!/usr/bin/env bash
# Protocol benchmarks (issue 2): JMH for chunk read/write and AMF0 commands, then a same-run relay comparison
# with nginx-rtmp. Takes about 4 minutes on 2 cores. Results go to benchmarks/target/protocol-bench/.
#
#   benchmarks/run-protocol-bench.sh            # everything
#   SKIP_JMH=1 benchmarks/run-protocol-bench.sh # relay comparison only
#   SKIP_PEER=1 benchmarks/run-protocol-bench.sh
#
# Needs: a JDK >= 21 (JAVA=/path/to/java, else the newest under /usr/lib/jvm), ffmpeg with libx264,
# nginx with /usr/lib/nginx/modules/ngx_rtmp_module.so, python3.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$top/benchmarks/target/protocol-bench"
mkdir -p "$out"

java_spec() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
if [ -z "${JAVA:-}" ]; then
  best=0
  for candidate in /usr/lib/jvm/*/bin/java; do
    spec=$(java_spec "$candidate" || true)
    if [ -n "$spec" ] && [ "$spec" -ge 21 ] && [ "$spec" -gt "$best" ]; then JAVA=$candidate; best=$spec; fi
  done
fi
[ -n "${JAVA:-}" ] || { echo "no JDK >= 21 found; set JAVA" >&2; exit 1; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "ram: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -n 1))"
  echo "ffmpeg: $(ffmpeg -version | head -n 1)"
  echo "nginx: $(nginx -v 2>&1)"
  echo "git: $(cd "$top" && git rev-parse --short HEAD)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

echo "== build" >&2
(cd "$top" && ./mvnw -q -B -pl benchmarks -am package -DskipTests)

if [ -z "${SKIP_JMH:-}" ]; then
  echo "== JMH" >&2
  "$JAVA" -jar "$top/benchmarks/target/loomcast-benchmarks.jar" -f 1 -wi 3 -i 5 -w 1s -r 1s \
    -rf json -rff "$out/jmh.json" 2>&1 | tee "$out/jmh.txt"
  python3 "$top/benchmarks/scripts/jmh_table.py" "$out/jmh.json" | tee "$out/jmh-table.md"
fi

if [ -z "${SKIP_PEER:-}" ]; then
  echo "== relay: nginx-rtmp vs loomcast" >&2
  clip="$out/clip-720p30-2500k.flv"
  if [ ! -s "$clip" ]; then
    # 20 s of 720p30 H.264 at 2.5 Mbit/s (2 s GOP) with AAC 128 kbit/s: the mix the JMH benchmarks model.
    ffmpeg -hide_banner -loglevel error -nostdin -y \
      -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 -t 20 \
      -c:v libx264 -preset ultrafast -b:v 2500k -maxrate 2500k -bufsize 2500k -g 60 -keyint_min 60 \
      -sc_threshold 0 -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 "$clip"
  fi
  rm -rf "$out/relay"
  python3 "$top/benchmarks/scripts/relay_bench.py" --clip "$clip" --loops 30 --rounds 5 --warmup 4 \
    --java "$JAVA" --gateway-jar "$top/gateway/target/loomcast-gateway.jar" --workdir "$out/relay" \
    | tee "$out/relay.txt"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
