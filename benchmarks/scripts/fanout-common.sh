# Shared by fanout.sh and rss-per-player.sh (sourced): the fan-out source clip and nginx-rtmp's config, so both
# measure against the same stream and the same peer setup.

# fanout_clip FILE: 60 s of 1280x720 30 fps H.264 at a steady 2.5 Mbit/s, GOP 2 s, AAC 48 kHz 128 kbit/s.
fanout_clip() {
  ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=sample_rate=48000 \
    -t 60 -c:v libx264 -preset veryfast -g 60 -keyint_min 60 -sc_threshold 0 -b:v 2500k -minrate 2500k \
    -maxrate 2500k -bufsize 2500k -x264-params nal-hrd=cbr -pix_fmt yuv420p -c:a aac -b:a 128k -y "$1"
}

# nginx_fanout_conf DIR PORT CHUNK: DIR/nginx.conf for nginx-rtmp with one worker, application "live".
nginx_fanout_conf() {
  cat > "$1/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off; master_process off; worker_processes 1; worker_rlimit_nofile 65536;
error_log $1/nginx-error.log warn; pid $1/nginx.pid;
events { worker_connections 65536; }
rtmp { server { listen 127.0.0.1:$2; chunk_size $3; application live { live on; } } }
CONF
}
