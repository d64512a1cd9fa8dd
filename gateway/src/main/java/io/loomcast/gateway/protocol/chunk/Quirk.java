package io.loomcast.gateway.protocol.chunk;

/**
 * Deviations from the RTMP spec that the {@link ChunkReader} accepts on purpose, each counted per
 * connection ({@link ChunkReader#quirkCount(Quirk)}) so that leniency shows up in metrics instead of
 * hiding in the code.
 */
public enum Quirk {
    /**
     * A fmt-3 chunk without the 4-byte extended timestamp. RTMP 5.3.1.3 says the field is present in fmt-3
     * chunks whenever the last fmt 0/1/2 header on the chunk stream used one (Adobe FMS, FFmpeg and SRS send
     * it), but some encoders omit it. The bytes alone cannot say which form a peer uses, so the reader peeks
     * at the next 4 bytes: if they equal the extended value it expects they are the field, otherwise they
     * are payload and this quirk is counted. A payload that happens to start with exactly that value is
     * misread; servers such as SRS make the same trade.
     */
    EXTENDED_TIMESTAMP_MISSING_ON_FMT3,

    /**
     * A fmt-3 chunk whose extended timestamp repeats the message's absolute timestamp although the last
     * fmt 1/2 header carried an extended delta. The spec repeats the header's field (the delta); some
     * senders repeat the absolute time, and SRS accepts it. Only matters for deltas of 0xFFFFFF or more.
     */
    EXTENDED_TIMESTAMP_ABSOLUTE_ON_FMT3
}
