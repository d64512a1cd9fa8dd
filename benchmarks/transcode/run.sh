#!/usr/bin/env bash
# Transcode benchmarks: in-process (bytedeco FFmpeg) against the ffmpeg CLI on the same input and settings.
#   [ROUNDS=3] [SOURCE_SIZE=WxH] [SCALER=name] [CASCADE=on|off|both] benchmarks/transcode/run.sh [speed|two|soak|all]
#   [SOURCE_SIZE=WxH] [SCALER=name] [CASCADE=on|off] [REF_SCALERS="bicubic lanczos"] benchmarks/transcode/run.sh quality
# soak: SOAK_SECONDS (default 600); SOURCE_SECONDS (default 60) shortens the input, for trying things out. two runs a 1280x720 and a 1920x1080 source unless SOURCE_SIZE names one: from
# 1080p the 360p rendition is scaled from the 720p picture (cascade scaling), from 720p it cannot be.
# SCALER is the in-process profiles' video.scaler (default: the gateway's); the CLI always scales bicubic, its
# default. CASCADE=both runs the in-process side with transcode.cascadeScaling on and then off.
# quality prints PSNR and SSIM of our 720p and 360p renditions and the CLI's, each against the source scaled to
# that size with each of REF_SCALERS; no CPU figures, so it may run on a busy machine.
# speed, two and quality use libx264 on both sides, so the in-process side runs with the GPL natives (-Pgpl):
# the system ffmpeg has no libopenh264. soak runs the default LGPL build (encoder auto -> libopenh264).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
what=${1:-all}
work=${BENCH_DIR:-/tmp/loomcast-transcode-bench}
mkdir -p "$work"
java=$(ls -d /usr/lib/jvm/*/bin/java | while read -r j; do
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  [ "${v:-0}" -ge 21 ] && echo "$j"; done | tail -n 1)

# The input: SOURCE_SECONDS (default 60) of testsrc2 at SIZE, H.264 4 Mb/s + AAC, made once per size and length.
seconds=${SOURCE_SECONDS:-60}
input_for() {
  local f=$work/in-$1.flv
  [ "$seconds" = 60 ] || f=$work/in-$1-${seconds}s.flv
  if [ ! -f "$f" ]; then
    nice ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=$1:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 \
      -t "$seconds" -c:v libx264 -preset veryfast -g 60 -b:v 4M -pix_fmt yuv420p -c:a aac -b:a 128k -y "$f"
  fi
  echo "$f"
}
size=${SOURCE_SIZE:-1280x720}
input=$(input_for "$size")

classpath() { # $1: extra maven args (-Pgpl or nothing)
  ./mvnw -q -B $1 -pl gateway,benchmarks -am -DskipTests install >/dev/null
  ./mvnw -q -B $1 -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$work/cp$1.txt" >/dev/null
  local cp
  cp="$top/benchmarks/target/classes:$(cat "$work/cp$1.txt")"
  # Installed poms resolve the natives' classifier without the profile, so swap in the GPL jar by name.
  if [ "$1" = -Pgpl ]; then cp=${cp//ffmpeg-8.0.1-1.5.13-linux-x86_64.jar/ffmpeg-8.0.1-1.5.13-linux-x86_64-gpl.jar}; fi
  echo "$cp"
}
jvm() { [ "${CLI_ONLY:-0}" = 1 ] && return 0; "$java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$1" io.loomcast.benchmarks.transcode.TranscodeBench "${@:2}"; }
# The in-process options: SCALER, and CASCADE as given ($1 overrides it: on or off).
opts() { [ -n "${SCALER:-}" ] && printf 'scaler=%s ' "$SCALER"; printf 'cascade=%s' "${1:-${CASCADE:-on}}"; }
cascades() { case "${CASCADE:-on}" in both) echo on off;; *) echo "${CASCADE:-on}";; esac; }

# CPU seconds (user+sys) and wall time of one command, from the kernel's rusage of the child.
cpu_of() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.time(); subprocess.run(sys.argv[1:], check=True); w = time.time() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("wall=%.2fs cpu=%.2fs" % (w, r.ru_utime + r.ru_stime))
PY
}
x264="-c:v libx264 -preset veryfast -profile:v high -bf 0 -g 60 -keyint_min 60 -x264-params scenecut=0"
p360="-s 640x360 -r 30 -b:v 800k -maxrate 800k -bufsize 800k $x264 -c:a copy -f flv -y /dev/null"
p720="-s 1280x720 -r 30 -b:v 2500k -maxrate 3000k -bufsize 3000k $x264 -c:a copy -f flv -y /dev/null"

rounds=${ROUNDS:-1}  # on a shared machine, alternate in-process and CLI runs and compare medians
if [ "$what" = speed ] || [ "$what" = all ]; then
  cp=$([ "${CLI_ONLY:-0}" = 1 ] || classpath -Pgpl)
  for _ in $(seq "$rounds"); do
    # shellcheck disable=SC2046
    jvm "$cp" speed "$input" libx264 $(opts)
    echo "RESULT ffmpeg-cli p360 $(cpu_of ffmpeg -nostdin -loglevel error -i "$input" $p360) frames=$((seconds * 30))"
  done
fi
if [ "$what" = two ] || [ "$what" = all ]; then
  cp=$([ "${CLI_ONLY:-0}" = 1 ] || classpath -Pgpl)
  for sz in ${SOURCE_SIZE:-1280x720 1920x1080}; do
    in=$(input_for "$sz")
    echo "two: source $sz"
    for _ in $(seq "$rounds"); do
      for c in $(cascades); do
        # shellcheck disable=SC2046
        jvm "$cp" two "$in" libx264 $(opts "$c")
      done
      echo "RESULT ffmpeg-cli two processes (p720 and p360 at once): $(cpu_of bash -c "ffmpeg -nostdin -loglevel error -i $in $p720 & ffmpeg -nostdin -loglevel error -i $in $p360 & wait")"
      # For reference, not the goal's baseline: the CLI pair with one decoder thread each, as Loomcast decodes up
      # to 1080p; it shows how much of the ratio is the shared decode and how much the thread choice.
      echo "RESULT ffmpeg-cli two processes, one decoder thread each: $(cpu_of bash -c "ffmpeg -nostdin -loglevel error -threads 1 -i $in $p720 & ffmpeg -nostdin -loglevel error -threads 1 -i $in $p360 & wait")"
    done
  done
fi
if [ "$what" = quality ]; then
  cp=$(classpath -Pgpl)
  refs=(${REF_SCALERS:-bicubic lanczos})
  # FILE WxH: PSNR (average over Y, U, V) and SSIM (All) against the source scaled to WxH with each reference
  # scaler. Both sides start at 0 (setpts), so pictures pair by index: a missing or extra picture would show as
  # a collapse of both figures, not as a small difference.
  measure() {
    local w=${2%x*} h=${2#*x} graph="[0:v]setpts=PTS-STARTPTS,split=$((2 * ${#refs[@]}))" i
    for i in "${!refs[@]}"; do graph+="[m${i}p][m${i}s]"; done
    graph+=";[1:v]setpts=PTS-STARTPTS,split=${#refs[@]}"
    for i in "${!refs[@]}"; do graph+="[s$i]"; done
    for i in "${!refs[@]}"; do
      graph+=";[s$i]scale=w=$w:h=$h:flags=${refs[$i]},split[r${i}p][r${i}s];[m${i}p][r${i}p]psnr@${refs[$i]};[m${i}s][r${i}s]ssim@${refs[$i]}"
    done
    local log out="" r
    log=$(nice ffmpeg -nostdin -hide_banner -i "$1" -i "$input" -lavfi "$graph" -f null - 2>&1)
    for r in "${refs[@]}"; do
      out+="ref=$r psnr=$(echo "$log" | sed -n "s/.*psnr@$r @.*average:\([0-9.inf]*\).*/\1/p") "
      out+="ssim=$(echo "$log" | sed -n "s/.*ssim@$r @.*All:\([0-9.]*\).*/\1/p")  "
    done
    echo "pictures=$(ffprobe -v error -select_streams v -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1") $out"
  }
  q=$work/quality-$size
  mkdir -p "$q"
  nice ffmpeg -nostdin -loglevel error -i "$input" ${p360/\/dev\/null/$q/cli-p360.flv}
  nice ffmpeg -nostdin -loglevel error -i "$input" ${p720/\/dev\/null/$q/cli-p720.flv}
  # shellcheck disable=SC2046
  ours=$(nice "$java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$cp" io.loomcast.benchmarks.transcode.TranscodeBench quality "$input" libx264 "$q" $(opts) 2>"$q/ours.log")
  echo "$ours" | grep RESULT
  sides=(cli ours)
  if [ "${CASCADE:-on}" != off ] && ! echo "$ours" | grep -q 'cascaded=0$'; then
    # The cascade scaled 360p from our 720p: the same run with it off shows what that costs in quality.
    mkdir -p "$q/direct"
    # shellcheck disable=SC2046
    nice "$java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$cp" io.loomcast.benchmarks.transcode.TranscodeBench quality "$input" libx264 "$q/direct" $(opts off) 2>"$q/direct.log" | grep RESULT
    cp "$q/direct/ours-p360.flv" "$q/direct-p360.flv"
    cp "$q/direct/ours-p720.flv" "$q/direct-p720.flv"
    sides+=(direct)
  fi
  for r in p720:1280x720 p360:640x360; do
    for side in "${sides[@]}"; do
      echo "RESULT quality source=$size ${r%%:*} $side: $(measure "$q/$side-${r%%:*}.flv" "${r#*:}")"
    done
  done
fi
if [ "$what" = soak ] || [ "$what" = all ]; then
  cp=$(classpath "")
  # A fixed, pre-touched heap: RSS then moves only with native memory (FFmpeg, JavaCPP, metaspace, code).
  "$java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$cp" \
    io.loomcast.benchmarks.transcode.TranscodeBench soak "$input" "${SOAK_SECONDS:-600}"
fi
