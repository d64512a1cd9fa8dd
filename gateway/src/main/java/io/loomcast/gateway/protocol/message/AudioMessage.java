package io.loomcast.gateway.protocol.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * Audio message (type 8, RTMP 7.1.4). The payload is an FLV audio tag body, kept as the bytes it came in: the
 * media layer parses codec headers, and a relay forwards the bytes unchanged.
 *
 * @param messageStreamId the stream it belongs to
 * @param timestamp       absolute timestamp in milliseconds, unsigned 32-bit
 * @param data            the FLV audio tag body; not copied, so it must not change after it is handed over
 */
public record AudioMessage(int messageStreamId, long timestamp, byte[] data) implements StreamMessage {
    public AudioMessage {
        Checks.uint32(timestamp, "timestamp");
        Objects.requireNonNull(data, "data");
    }

    /** The same bytes at another point of the timeline (a stream re-basing its source, RTMP 7.1.4). */
    public AudioMessage withTimestamp(long newTimestamp) {
        return new AudioMessage(messageStreamId, newTimestamp, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioMessage m && m.messageStreamId == messageStreamId && m.timestamp == timestamp
                && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageStreamId, timestamp, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "AudioMessage[msid=%d, ts=%d, %d bytes]".formatted(messageStreamId, timestamp, data.length);
    }
}
