package io.loomcast.gateway.protocol.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message whose type id RTMP does not define (or that we do not interpret), kept raw rather than refused: a
 * peer may send vendor extensions, and a session can ignore or forward them.
 *
 * @param typeId          the message type id, 0..255, never one {@link MessageTypes#isKnown(int) with a record}
 * @param messageStreamId the stream it arrived on
 * @param timestamp       absolute timestamp in milliseconds, unsigned 32-bit
 * @param payload         the message body as received; not copied
 */
public record UnknownMessage(int typeId, int messageStreamId, long timestamp, byte[] payload) implements StreamMessage {
    public UnknownMessage {
        Checks.range(typeId, 0, 255, "message type id");
        if (MessageTypes.isKnown(typeId)) {
            throw new IllegalArgumentException("type %d (%s) has its own record"
                    .formatted(typeId, MessageTypes.name(typeId)));
        }
        Checks.uint32(timestamp, "timestamp");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownMessage m && m.typeId == typeId && m.messageStreamId == messageStreamId
                && m.timestamp == timestamp && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(typeId, messageStreamId, timestamp, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "UnknownMessage[type=%d, msid=%d, ts=%d, %d bytes]"
                .formatted(typeId, messageStreamId, timestamp, payload.length);
    }
}
