#!/usr/bin/env python3
"""A minimal RTMP player for throughput runs: plays one stream and counts the bytes, nothing else.

It does the plain handshake, sends connect, createStream and play, then reads the socket into one buffer
as fast as the server sends, without parsing: so its own cost is a recv per up to 1 MiB and the server is
what limits the rate. It prints "ready" once play is sent. When stdin closes (the caller's sign that the
publisher is done) it waits until no byte has come for --idle seconds, then prints
"<bytes after play> <monotonic time of the first byte> <monotonic time of the last byte>" and exits.
CLOCK_MONOTONIC is system-wide on Linux, so the caller can compare these times with its own.
"""
import argparse
import os
import re
import select
import socket
import struct
import sys
import time

CHUNK = 128  # RTMP 5.4.1: both sides start at 128-byte chunks; we never change ours


def amf(value):
    if isinstance(value, bool):
        return b"\x01" + (b"\x01" if value else b"\x00")
    if isinstance(value, (int, float)):
        return b"\x00" + struct.pack(">d", float(value))
    if isinstance(value, str):
        data = value.encode()
        return b"\x02" + struct.pack(">H", len(data)) + data
    if value is None:
        return b"\x05"
    if isinstance(value, dict):
        body = b"".join(struct.pack(">H", len(k)) + k.encode() + amf(v) for k, v in value.items())
        return b"\x03" + body + b"\x00\x00\x09"
    raise TypeError(value)


def command(msid, *values):
    """An AMF0 command (type 20) on chunk stream 3, chunked at 128 bytes."""
    payload = b"".join(amf(v) for v in values)
    header = bytes([0x03]) + b"\x00\x00\x00" + len(payload).to_bytes(3, "big") + b"\x14" + struct.pack("<I", msid)
    out = bytearray(header + payload[:CHUNK])
    for at in range(CHUNK, len(payload), CHUNK):
        out += b"\xc3" + payload[at:at + CHUNK]
    return bytes(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--app", default="live")
    p.add_argument("--stream", required=True)
    p.add_argument("--idle", type=float, default=1.0)
    a = p.parse_args()

    s = socket.create_connection(("127.0.0.1", a.port), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    c1 = struct.pack(">II", 0, 0) + os.urandom(1528)
    s.sendall(b"\x03" + c1)
    hello = b""
    while len(hello) < 1 + 1536 + 1536:
        part = s.recv(1 + 1536 + 1536 - len(hello))
        if not part:
            sys.exit("server closed during the handshake")
        hello += part
    s.sendall(hello[1:1537])  # C2 echoes S1

    tc_url = f"rtmp://127.0.0.1:{a.port}/{a.app}"
    s.sendall(command(0, "connect", 1, {"app": a.app, "flashVer": "LNX 9,0,124,2", "tcUrl": tc_url,
                                        "fpad": False, "capabilities": 15, "audioCodecs": 4071,
                                        "videoCodecs": 252, "videoFunction": 1}))
    s.sendall(command(0, "createStream", 2, None))
    # The createStream _result is one small chunk: "_result", 2.0, null, <stream id>.
    pattern = re.compile(re.escape(amf("_result") + amf(2) + b"\x05") + b"\x00(.{8})", re.S)
    seen = b""
    while True:
        part = s.recv(65536)
        if not part:
            sys.exit("server closed before answering createStream")
        seen += part
        m = pattern.search(seen)
        if m:
            stream_id = int(struct.unpack(">d", m.group(1))[0])
            break
    s.sendall(command(stream_id, "play", 3, None, a.stream, -1000))
    print("ready", flush=True)

    buf = bytearray(1 << 20)
    view = memoryview(buf)
    total, first, last = 0, None, None
    publisher_done = False
    s.setblocking(False)
    stdin = sys.stdin.fileno()
    while True:
        watch = [s] if publisher_done else [s, stdin]
        ready, _, _ = select.select(watch, [], [], a.idle)
        if not ready:
            if publisher_done:
                break
            continue
        if stdin in ready and not os.read(stdin, 4096):
            publisher_done = True
        if s in ready:
            try:
                n = s.recv_into(view)
            except BlockingIOError:
                continue
            if n == 0:
                break
            now = time.monotonic()
            if first is None:
                first = now
            last = now
            total += n
        elif publisher_done and last is not None and time.monotonic() - last > a.idle:
            break
    print(f"{total} {first or 0:.6f} {last or 0:.6f}", flush=True)


if __name__ == "__main__":
    main()
