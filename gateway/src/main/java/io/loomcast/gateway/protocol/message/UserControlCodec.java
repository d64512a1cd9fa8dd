package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;

/** Payloads of User Control messages (RTMP 6.2): a 16-bit event type, then the event data of RTMP 7.1.7. */
final class UserControlCodec {
    static final int STREAM_BEGIN = 0;
    static final int STREAM_EOF = 1;
    static final int STREAM_DRY = 2;
    static final int SET_BUFFER_LENGTH = 3;
    static final int STREAM_IS_RECORDED = 4;
    static final int PING_REQUEST = 6;
    static final int PING_RESPONSE = 7;

    private UserControlCodec() {}

    static boolean hasRecord(int eventType) {
        return switch (eventType) {
            case STREAM_BEGIN, STREAM_EOF, STREAM_DRY, SET_BUFFER_LENGTH, STREAM_IS_RECORDED, PING_REQUEST,
                    PING_RESPONSE -> true;
            default -> false;
        };
    }

    static UserControlEvent decode(byte[] p) throws ProtocolException {
        if (p.length < 2) {
            throw new ProtocolException("User Control payload is %d bytes, needs at least 2 for the event type"
                    .formatted(p.length));
        }
        int type = (p[0] & 0xFF) << 8 | (p[1] & 0xFF);
        return switch (type) {
            case STREAM_BEGIN -> new StreamBegin((int) u32(data(p, 4, "Stream Begin")));
            case STREAM_EOF -> new StreamEof((int) u32(data(p, 4, "Stream EOF")));
            case STREAM_DRY -> new StreamDry((int) u32(data(p, 4, "Stream Dry")));
            case SET_BUFFER_LENGTH -> {
                byte[] d = data(p, 8, "Set Buffer Length");
                yield new SetBufferLength((int) u32(d), ControlCodec.u32(d, 6));
            }
            case STREAM_IS_RECORDED -> new StreamIsRecorded((int) u32(data(p, 4, "Stream Is Recorded")));
            case PING_REQUEST -> new PingRequest(u32(data(p, 4, "Ping Request")));
            case PING_RESPONSE -> new PingResponse(u32(data(p, 4, "Ping Response")));
            default -> new UnparsedEvent(type, Arrays.copyOfRange(p, 2, p.length));
        };
    }

    /** RTMP 7.1.7 gives every defined event a fixed data size; check it and hand back the payload. */
    private static byte[] data(byte[] p, int bytes, String event) throws ProtocolException {
        if (p.length - 2 != bytes) {
            throw new ProtocolException("User Control %s event data is %d bytes, needs %d"
                    .formatted(event, p.length - 2, bytes));
        }
        return p;
    }

    /** The first 4 bytes of event data. */
    private static long u32(byte[] p) {
        return ControlCodec.u32(p, 2);
    }

    static byte[] encode(UserControlEvent e) {
        PayloadWriter w = new PayloadWriter(10);
        switch (e) {
            case StreamBegin s -> w.u16(STREAM_BEGIN).u32(Integer.toUnsignedLong(s.streamId()));
            case StreamEof s -> w.u16(STREAM_EOF).u32(Integer.toUnsignedLong(s.streamId()));
            case StreamDry s -> w.u16(STREAM_DRY).u32(Integer.toUnsignedLong(s.streamId()));
            case SetBufferLength s ->
                    w.u16(SET_BUFFER_LENGTH).u32(Integer.toUnsignedLong(s.streamId())).u32(s.bufferMillis());
            case StreamIsRecorded s -> w.u16(STREAM_IS_RECORDED).u32(Integer.toUnsignedLong(s.streamId()));
            case PingRequest r -> w.u16(PING_REQUEST).u32(r.timestamp());
            case PingResponse r -> w.u16(PING_RESPONSE).u32(r.timestamp());
            case UnparsedEvent u -> w.u16(u.eventType()).bytes(u.data());
        }
        return w.toByteArray();
    }
}
