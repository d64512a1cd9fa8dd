#!/usr/bin/env python3
"""Sums an async-profiler collapsed-stack file (one "frame;frame;... count" line per stack) into buckets.

Each stack goes to the first bucket that one of its frames matches, in the order below, so a socket write
inside a push counts as a send and not as the push's own Java. Prints samples and shares, and the commonest
stack tails of what matched no bucket.

    python3 benchmarks/scripts/profile_buckets.py FILE.collapsed [--others N]
"""
import argparse
import collections

# (bucket, substrings of a frame): first match wins.
BUCKETS = [
    ("JIT compiler threads", ["CompilerThre", "C2Compiler", "C1Compiler"]),
    ("GC", ["G1", "GC Thread", "VM Thread", "SerialHeap", "DefNewGeneration"]),
    ("socket writes", ["writev", "IOUtil.write", "NioSocketImpl.write", "SocketDispatcher.write"]),
    ("socket reads", ["ksys_read", "NioSocketImpl.read", "IOUtil.read", "SocketDispatcher.read"]),
    # A selector thread's own wait; its reads, writes and Java fall in the buckets above and below by what they
    # do. A key of several substrings matches when all of them are in the stack.
    ("selector threads waiting (epoll_wait)", [("SelectorReads$Loop", "EPoll.wait"), ("SelectorReads$Loop.reap",)]),
    ("I/O poller (epoll, waking readers)", ["MasterPoller", "Poller.", "epoll"]),
    ("virtual-thread park/unpark, carrier wake-ups",
     ["Unsafe_Park", "Unsafe_Unpark", "VirtualThread.park", "VirtualThread.unpark", "LockSupport", "futex",
      "awaitWork", "signalWork", "Continuation.yield", "yieldContinuation", "Freeze", "Thaw", "freeze", "thaw"]),
    ("push and frame encoding (Java)", ["PushRunner", "hub/Frame.", "PushWire", "ChunkWriter"]),
    ("ingest and hub (Java)", ["ChunkReader", "ChunkInput", "Ingest", "ServerSession", "hub/Stream.", "StreamHub",
                               "SubscriberQueue", "MessageCodec", "Publication"]),
    ("timers", ["DelayScheduler", "delayScheduler"]),
]


def matches(stack, key):
    if isinstance(key, tuple):
        return all(k in stack for k in key)
    return key in stack


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--others", type=int, default=8, help="how many unbucketed stack tails to list")
    args = ap.parse_args()
    total = 0
    counts = collections.Counter()
    others = collections.Counter()
    with open(args.file) as f:
        for line in f:
            stack, _, n = line.rstrip().rpartition(" ")
            if not stack:
                continue
            n = int(n)
            total += n
            for name, keys in BUCKETS:
                if any(matches(stack, k) for k in keys):
                    counts[name] += n
                    break
            else:
                counts["other (scheduler loop, mounting)"] += n
                others[";".join(stack.split(";")[-3:])] += n
    if total == 0:
        print("no samples")
        return
    print(f"{total} samples")
    print("| bucket | samples | share |")
    print("| --- | --- | --- |")
    for name, n in counts.most_common():
        print(f"| {name} | {n} | {100.0 * n / total:.1f}% |")
    for tail, n in others.most_common(args.others):
        print(f"  other: {n} {tail[:160]}")


if __name__ == "__main__":
    main()
