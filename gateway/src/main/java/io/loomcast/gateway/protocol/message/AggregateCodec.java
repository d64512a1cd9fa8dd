package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Payload of an aggregate message (RTMP 7.1.6): sub-messages, each an 11-byte header (type 1, payload size 3,
 * timestamp 3 + extension 1, stream id 3), the payload, and a 4-byte back pointer (11 + payload size), as in
 * an FLV file body.
 *
 * <p>Strictness: every size must fit what remains, and every back pointer must equal 11 + payload size. The back
 * pointer is redundant, so a wrong one means the sender's framing and ours disagree; then every later
 * sub-message would be garbage, so the whole aggregate is rejected rather than guessed at. Sub-messages must
 * be stream messages: a control message inside an aggregate would bypass the one place control takes effect.
 */
final class AggregateCodec {
    /** FLV tag header: type (1), data size (3), timestamp (3), timestamp extension (1), stream id (3). */
    static final int HEADER_BYTES = 11;
    static final int BACK_POINTER_BYTES = 4;

    private AggregateCodec() {}

    static AggregateMessage decode(RawMessage raw) throws ProtocolException {
        byte[] p = raw.payload();
        PayloadReader r = new PayloadReader(p, "Aggregate message");
        List<StreamMessage> messages = new ArrayList<>();
        long offset = 0;
        while (r.hasRemaining()) {
            int index = messages.size() + 1;
            String unit = "Aggregate sub-message " + index;
            if (r.remaining() < HEADER_BYTES) {
                throw new ProtocolException("%s: header needs %d bytes, %d remain"
                        .formatted(unit, HEADER_BYTES, r.remaining()));
            }
            int type = r.u8("type");
            int size = r.u24("size");
            long low = r.u24("timestamp");
            long subTimestamp = (long) r.u8("timestamp extension") << 24 | low;
            r.u24("stream id"); // RTMP 7.1.6: the aggregate's message stream id overrides this one.
            if (size > r.remaining()) {
                throw new ProtocolException("%s (%s) claims %d payload bytes, %d remain"
                        .formatted(unit, MessageTypes.name(type), size, r.remaining()));
            }
            byte[] body = r.bytes(size, "payload");
            if (r.remaining() < BACK_POINTER_BYTES) {
                throw new ProtocolException("%s: back pointer needs %d bytes, %d remain"
                        .formatted(unit, BACK_POINTER_BYTES, r.remaining()));
            }
            long backPointer = r.u32("back pointer");
            if (backPointer != HEADER_BYTES + size) {
                throw new ProtocolException("%s: back pointer is %d, the sub-message is %d bytes"
                        .formatted(unit, backPointer, HEADER_BYTES + size));
            }
            if (index == 1) {
                // RTMP 7.1.6: the difference between the aggregate's timestamp and its first sub-message's
                // is the offset that re-bases every sub-message.
                offset = raw.timestamp() - subTimestamp;
            }
            long timestamp = (subTimestamp + offset) & Checks.UINT32_MAX;
            RawMessage sub = new RawMessage(raw.chunkStreamId(), type, raw.messageStreamId(), timestamp, body);
            messages.add(subMessage(unit, sub));
        }
        // The re-basing gave the first sub-message exactly the aggregate's timestamp.
        return new AggregateMessage(raw.messageStreamId(), raw.timestamp(), messages);
    }

    private static StreamMessage subMessage(String unit, RawMessage sub) throws ProtocolException {
        if (sub.typeId() == MessageTypes.AGGREGATE) {
            throw new ProtocolException(unit + " is itself an aggregate, which cannot be nested");
        }
        Message m;
        try {
            m = MessageCodec.decode(sub);
        } catch (ProtocolException e) {
            throw new ProtocolException(unit + ": " + e.getMessage(), e);
        }
        return switch (m) {
            case StreamMessage s -> s;
            case ControlMessage c -> throw notStream(unit, sub);
            case UserControlEvent e -> throw notStream(unit, sub);
        };
    }

    private static ProtocolException notStream(String unit, RawMessage sub) {
        return new ProtocolException("%s is a %s message; only stream messages may be aggregated"
                .formatted(unit, MessageTypes.name(sub.typeId())));
    }

    static byte[] encode(AggregateMessage m) {
        PayloadWriter w = new PayloadWriter(256);
        for (StreamMessage sub : m.messages()) {
            byte[] body = MessageCodec.payload(sub);
            if (body.length > ChunkWriter.MAX_MESSAGE_BYTES) {
                throw new IllegalArgumentException("sub-message of %d bytes does not fit the 24-bit size field"
                        .formatted(body.length));
            }
            // The stream id field is written as 0, as FLV does: the aggregate's own id applies (RTMP 7.1.6).
            w.u8(MessageCodec.typeId(sub)).u24(body.length)
                    .u24((int) (sub.timestamp() & 0xFFFFFF)).u8((int) (sub.timestamp() >>> 24))
                    .u24(0)
                    .bytes(body)
                    .u32(HEADER_BYTES + body.length);
        }
        return w.toByteArray();
    }
}
