package io.loomcast.gateway.protocol.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * Video message (type 9, RTMP 7.1.5). The payload is an FLV video tag body, kept as the bytes it came in: the
 * media layer parses codec headers, and a relay forwards the bytes unchanged.
 *
 * @param messageStreamId the stream it belongs to
 * @param timestamp       absolute timestamp in milliseconds, unsigned 32-bit
 * @param data            the FLV video tag body; not copied, so it must not change after it is handed over
 */
public record VideoMessage(int messageStreamId, long timestamp, byte[] data) implements StreamMessage {
    public VideoMessage {
        Checks.uint32(timestamp, "timestamp");
        Objects.requireNonNull(data, "data");
    }

    /** The same bytes at another point of the timeline (a stream re-basing its source, RTMP 7.1.5). */
    public VideoMessage withTimestamp(long newTimestamp) {
        return new VideoMessage(messageStreamId, newTimestamp, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoMessage m && m.messageStreamId == messageStreamId && m.timestamp == timestamp
                && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageStreamId, timestamp, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "VideoMessage[msid=%d, ts=%d, %d bytes]".formatted(messageStreamId, timestamp, data.length);
    }
}
