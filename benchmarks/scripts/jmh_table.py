#!/usr/bin/env python3
"""Prints the JMH JSON results of the protocol benchmarks as Markdown tables.

Chunk benchmarks count one operation per payload byte and report ops/us, which is payload MB/s (10^6 B/s).
AMF benchmarks report ns/op; ops/s is 10^9 / that.
"""
import json
import sys

rows = json.load(open(sys.argv[1]))
chunk = {}
amf = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 2)
    cls, method = name[-2], name[-1]
    m = r["primaryMetric"]
    if cls in ("ChunkReadBenchmark", "ChunkWriteBenchmark"):
        chunk.setdefault(method, {})[int(r["params"]["chunkSizeBytes"])] = (m["score"], m["scoreError"])
    elif cls == "AmfCommandBenchmark":
        amf.setdefault(r["params"]["command"], {})[method] = (m["score"], m["scoreError"])

labels = {"read": "read (ChunkReader)", "encode": "write: encode into array",
          "write": "write: write(RawMessage, OutputStream)", "encodeStandalone": "fan-out: encodeStandalone"}
sizes = sorted({s for v in chunk.values() for s in v})
print("| payload MB/s (± 99.9% CI) | " + " | ".join(f"chunk {s}" for s in sizes) + " |")
print("|---|" + "---|" * len(sizes))
for method in ("read", "encode", "write", "encodeStandalone"):
    if method in chunk:
        cells = ["%.0f ± %.0f" % chunk[method][s] if s in chunk[method] else "" for s in sizes]
        print(f"| {labels[method]} | " + " | ".join(cells) + " |")
print()
print("| AMF0 message | encode ns/op | encode ops/s | decode ns/op | decode ops/s |")
print("|---|---|---|---|---|")
for command in ("CONNECT", "ON_STATUS", "SET_DATA_FRAME"):
    if command in amf:
        e, d = amf[command]["encode"], amf[command]["decode"]
        print("| %s | %.0f ± %.0f | %.2fM | %.0f ± %.0f | %.2fM |"
              % (command, e[0], e[1], 1e3 / e[0], d[0], d[1], 1e3 / d[0]))
