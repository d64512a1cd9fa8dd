#!/usr/bin/env python3
"""Writes the client->server and server->client payload bytes of the first TCP connection opened in a capture.

Usage: split-tcp.py CAPTURE.pcap SERVER_PORT OUT_PREFIX  ->  OUT_PREFIX.c2s.bin, OUT_PREFIX.s2c.bin
Connections already open when the capture started (a background publisher) are skipped: we want a whole
session from its handshake on. tshark's "follow,tcp,raw" does the reassembly.
"""
import subprocess
import sys

cap, port, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
syns = subprocess.run(["tshark", "-r", cap, "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0 && tcp.dstport==%d" % port,
                       "-T", "fields", "-e", "tcp.stream"], check=True, capture_output=True, text=True).stdout.split()
if not syns:
    sys.exit("%s: no connection opened during the capture" % cap)
text = subprocess.run(["tshark", "-r", cap, "-q", "-z", "follow,tcp,raw,%s" % syns[0]],
                      check=True, capture_output=True, text=True).stdout
server_is_node0 = False
c2s, s2c = bytearray(), bytearray()
for line in text.splitlines():
    if line.startswith("Node 0:"):
        server_is_node0 = line.rstrip().endswith(":%d" % port)
        continue
    if not line.strip() or line.startswith(("====", "Follow:", "Filter:", "Node ")):
        continue
    from_node0 = not line.startswith("\t")
    (s2c if from_node0 == server_is_node0 else c2s).extend(bytes.fromhex(line.strip()))
open(prefix + ".c2s.bin", "wb").write(c2s)
open(prefix + ".s2c.bin", "wb").write(s2c)
print("%s: %d bytes client->server, %d bytes server->client" % (prefix.rsplit("/", 1)[-1], len(c2s), len(s2c)))
