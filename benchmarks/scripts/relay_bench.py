#!/usr/bin/env python3
"""Same-run relay comparison: nginx-rtmp and the Loomcast gateway, one publisher to one player each.

For every run: a player (rtmp_drain.py, which counts bytes and parses nothing) subscribes first, then ffmpeg
publishes the clip, looped, without -re, so as fast as the server takes it. The run's time is from the
publisher's start to the last byte the player received. Using our own byte-counting player rather than
ffmpeg or rtmpdump keeps the clock independent of how a player notices the end of a live stream (nginx-rtmp
sends StreamEOF but no UnpublishNotify, so both wait for a timeout) and of its probing and output buffering.
The server's CPU time (user + system, all threads) over the run comes from /proc/PID/stat.

Rounds alternate the two servers so that load from other users of the machine hits both alike. The first
rounds are warm-up (JIT for the gateway) and are not reported.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
IDLE_SECONDS = 1.0
DRAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rtmp_drain.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, what, deadline_seconds=30):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{what} exited with {proc.returncode} before listening on 127.0.0.1:{port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{what} did not listen on 127.0.0.1:{port} within {deadline_seconds}s")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # Fields 14 and 15 of stat (utime, stime); index 11 and 12 once pid and comm are cut off.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def start_nginx(workdir, port):
    d = os.path.join(workdir, "nginx")
    os.makedirs(os.path.join(d, "logs"), exist_ok=True)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
daemon off;
master_process off;
error_log {d}/error.log warn;
pid {d}/nginx.pid;
events {{}}
rtmp {{
    server {{
        listen 127.0.0.1:{port};
        # Default 256 drops most inter frames when the publisher outruns the player; the gateway's queue
        # is raised likewise, so that both deliver every frame.
        out_queue 65536;
        out_cork 32;
        application live {{ live on; }}
    }}
}}
""")
    out = open(os.path.join(d, "stdout.log"), "w")
    proc = subprocess.Popen(["nginx", "-c", conf, "-p", d + "/"], stdout=out, stderr=subprocess.STDOUT)
    wait_listening(port, proc, "nginx")
    return proc


def start_gateway(workdir, port, java, jar):
    conf = os.path.join(workdir, "gateway.yaml")
    with open(conf, "w") as f:
        f.write(f"""server:
  listen: 127.0.0.1:{port}
  chunkSize: 4096             # as nginx-rtmp's default chunk_size
  subscriberQueue:            # raised so that no frame is dropped, as nginx's out_queue
    maxBytes: 1GiB
    maxDuration: 5m
    stallTimeout: 1h
""")
    out = open(os.path.join(workdir, "gateway.log"), "w")
    proc = subprocess.Popen([java, "-jar", jar, "run", "-c", conf], stdout=out, stderr=subprocess.STDOUT)
    wait_listening(port, proc, "gateway")
    return proc


def run_once(name, port, server, clip, loops, workdir, run_id):
    stream = f"run{run_id}"
    url = f"rtmp://127.0.0.1:{port}/live/{stream}"
    player = subprocess.Popen([sys.executable, DRAIN, "--port", str(port), "--stream", stream,
                               "--idle", str(IDLE_SECONDS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    if player.stdout.readline().strip() != "ready":
        sys.exit(f"the player of {name} run {run_id} did not start")
    time.sleep(0.2)  # let the server handle play before anything is published
    cpu0 = cpu_seconds(server.pid)
    t0 = time.monotonic()
    publisher = subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                                  "-stream_loop", str(loops - 1), "-i", clip, "-c", "copy", "-f", "flv", url])
    publisher.wait()
    published = time.monotonic()
    player.stdin.close()
    line = player.stdout.readline().split()
    player.wait(timeout=30)
    cpu1 = cpu_seconds(server.pid)
    if publisher.returncode != 0:
        sys.exit(f"publisher to {name} failed with {publisher.returncode}")
    if len(line) != 3 or int(line[0]) == 0:
        sys.exit(f"the player of {name} run {run_id} received nothing")
    received, last = int(line[0]), float(line[2])
    return {"server": name, "run": run_id, "seconds": last - t0, "publish_seconds": published - t0,
            "bytes": received, "server_cpu_seconds": cpu1 - cpu0}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--clip", required=True)
    p.add_argument("--loops", type=int, default=10)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--warmup", type=int, default=4)
    p.add_argument("--java", required=True)
    p.add_argument("--gateway-jar", required=True)
    p.add_argument("--workdir", required=True)
    a = p.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    expected = os.path.getsize(a.clip) * a.loops

    nginx_port = free_port()
    nginx = start_nginx(a.workdir, nginx_port)
    gateway_port = free_port()
    gateway = start_gateway(a.workdir, gateway_port, a.java, a.gateway_jar)
    servers = [("nginx-rtmp", nginx_port, nginx), ("loomcast", gateway_port, gateway)]
    results = []
    try:
        run_id = 0
        for i in range(a.warmup + a.rounds):
            for name, port, proc in servers:
                run_id += 1
                r = run_once(name, port, proc, a.clip, a.loops, a.workdir, run_id)
                r["warmup"] = i < a.warmup
                results.append(r)
                print(("%-10s run %2d%s: %6.3f s to the last byte (publisher done at %6.3f s), %5.1f MB/s, "
                       "server CPU %5.2f s, player got %d bytes (%.2f%% of the %d FLV bytes published)")
                      % (name, run_id, " (warm-up)" if r["warmup"] else "", r["seconds"], r["publish_seconds"],
                         rate(r), r["server_cpu_seconds"], r["bytes"], 100.0 * r["bytes"] / expected,
                         expected), flush=True)
    finally:
        for _, _, proc in servers:
            proc.terminate()
        for _, _, proc in servers:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    print()
    print("| server | runs | player MB/s, median (min..max) | publisher done, median s | server CPU s per run, median "
          "| MB per server CPU second, median |")
    print("|---|---|---|---|---|---|")
    measured = {name: [r for r in results if r["server"] == name and not r["warmup"]] for name, _, _ in servers}
    for name, rs in measured.items():
        rates = [rate(r) for r in rs]
        print("| %s | %d | %.1f (%.1f..%.1f) | %.2f | %.2f | %.0f |"
              % (name, len(rs), statistics.median(rates), min(rates), max(rates),
                 statistics.median(r["publish_seconds"] for r in rs),
                 statistics.median(r["server_cpu_seconds"] for r in rs),
                 statistics.median(per_cpu_second(r) for r in rs)))
    # Each round ran both servers back to back, so a per-round ratio cancels most of the drift between rounds.
    pairs = list(zip(measured["loomcast"], measured["nginx-rtmp"]))
    throughput = statistics.median(rate(g) / rate(n) for g, n in pairs)
    efficiency = statistics.median(per_cpu_second(g) / per_cpu_second(n) for g, n in pairs)
    print()
    print("loomcast / nginx-rtmp, median of the %d per-round ratios: throughput %.2f, MB per server CPU second %.2f"
          % (len(pairs), throughput, efficiency))


def rate(run):
    """RTMP bytes the player received per second, in MB/s."""
    return run["bytes"] / run["seconds"] / 1e6


def per_cpu_second(run):
    """MB relayed per second of server CPU; CPU time is counted in clock ticks (10 ms)."""
    return run["bytes"] / 1e6 / max(run["server_cpu_seconds"], 1.0 / CLK_TCK)


if __name__ == "__main__":
    main()
