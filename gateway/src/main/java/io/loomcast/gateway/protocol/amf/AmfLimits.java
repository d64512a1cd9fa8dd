package io.loomcast.gateway.protocol.amf;

/**
 * Limits an AMF reader enforces on untrusted input, on top of the payload's own length.
 *
 * @param maxDepth how deeply complex values (objects, arrays, vectors of objects, dictionaries) may nest;
 *     deeper input fails with a ProtocolException instead of exhausting the stack
 * @param maxExpandedBytes how large the payload may grow when every reference (AMF0 0x07, AMF3 object,
 *     string and trait references) is replaced by what it points to. References let a few bytes name a
 *     large shared value many times; re-encoding, printing or comparing such a value walks every copy.
 */
public record AmfLimits(int maxDepth, int maxExpandedBytes) {
    /** 64 levels, and 16 MiB: the largest RTMP message is 16 MiB - 1, so payloads without references fit. */
    public static final AmfLimits DEFAULT = new AmfLimits(64, 16 << 20);

    public AmfLimits {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth %d < 1".formatted(maxDepth));
        }
        if (maxExpandedBytes < 1) {
            throw new IllegalArgumentException("maxExpandedBytes %d < 1".formatted(maxExpandedBytes));
        }
    }

    public AmfLimits withMaxDepth(int depth) {
        return new AmfLimits(depth, maxExpandedBytes);
    }

    public AmfLimits withMaxExpandedBytes(int bytes) {
        return new AmfLimits(maxDepth, bytes);
    }
}
