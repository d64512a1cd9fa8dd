"""Publishes an FLV file live with librtmp (python3-librtmp), paced by the tags' timestamps.

Usage: /usr/bin/python3 librtmp_publish.py FILE.flv rtmp://host:port/app/name

librtmp's RTMP_Write takes FLV data: whole tags, each with its PreviousTagSize trailer, the first one preceded
by the file header (it skips a leading header, then parses each tag header and sends the body as an RTMP
message). A write of the header alone crashes it, so the header goes out with the first tag.
Exit status 0 once every tag is written, 1 on any failure.
"""
import struct
import sys
import time

import librtmp


def tags(data):
    """Yields (timestamp_ms, tag_bytes) for every tag, each with its PreviousTagSize trailer."""
    pos = struct.unpack(">I", data[5:9])[0] + 4  # DataOffset, then PreviousTagSize0
    while pos + 11 <= len(data):
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        ts = int.from_bytes(data[pos + 4:pos + 7], "big") | data[pos + 7] << 24
        end = pos + 11 + size + 4
        yield ts, data[pos:end]
        pos = end


def main(path, url):
    with open(path, "rb") as f:
        data = f.read()
    conn = librtmp.RTMP(url, live=True)
    conn.connect()
    stream = conn.create_stream(writeable=True)
    header = data[:13]  # FLV header and PreviousTagSize0
    # Pacing starts at the first audio or video tag: metadata and sequence headers may carry 0 however far
    # on the media's timestamps start (ffmpeg writes them so with -output_ts_offset).
    base = next(ts for ts, tag in tags(data) if tag[0] in (8, 9) and tag[12] != 0)
    start = time.monotonic()
    count = 0
    for ts, tag in tags(data):
        # Live pacing, like ffmpeg -re: a tag goes out no earlier than its timestamp says.
        delay = (ts - base) / 1000.0 - (time.monotonic() - start)
        if delay > 0:
            time.sleep(delay)
        stream.write(header + tag if count == 0 else tag)
        count += 1
    stream.close()
    conn.close()
    print("published %d tags" % count, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
