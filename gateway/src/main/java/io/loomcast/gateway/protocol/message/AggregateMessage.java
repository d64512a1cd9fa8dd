package io.loomcast.gateway.protocol.message;

import java.util.List;
import java.util.Objects;

/**
 * Aggregate message (type 22, RTMP 7.1.6): several stream messages sent as one, each framed like an FLV tag.
 * {@link MessageCodec} splits it on decode and builds it on encode.
 *
 * <p>The sub-messages here are already normalized as RTMP 7.1.6 asks: each carries the aggregate's message
 * stream id, and timestamps shifted so the first sub-message has the aggregate's timestamp. So a consumer can
 * treat them like messages that arrived on their own.
 *
 * @param messageStreamId the stream; every sub-message has this id too
 * @param timestamp       the first sub-message's timestamp (any value when there are none)
 * @param messages        the sub-messages in order; stream messages only, and no nested aggregates
 */
public record AggregateMessage(int messageStreamId, long timestamp, List<StreamMessage> messages)
        implements StreamMessage {
    public AggregateMessage {
        Checks.uint32(timestamp, "timestamp");
        messages = List.copyOf(messages);
        for (StreamMessage m : messages) {
            if (m instanceof AggregateMessage) {
                throw new IllegalArgumentException("an aggregate cannot contain an aggregate");
            }
            if (m.messageStreamId() != messageStreamId) {
                throw new IllegalArgumentException(
                        "sub-message on stream %d in an aggregate on stream %d; RTMP 7.1.6 gives all one id"
                                .formatted(m.messageStreamId(), messageStreamId));
            }
        }
        if (!messages.isEmpty() && messages.getFirst().timestamp() != timestamp) {
            throw new IllegalArgumentException("aggregate timestamp %d differs from its first sub-message's %d"
                    .formatted(timestamp, messages.getFirst().timestamp()));
        }
    }

    /** An aggregate of these messages, which must share a message stream id; at least one is needed. */
    public static AggregateMessage of(List<? extends StreamMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an aggregate built with of() needs at least one message");
        }
        StreamMessage first = messages.getFirst();
        return new AggregateMessage(first.messageStreamId(), first.timestamp(), List.copyOf(messages));
    }
}
