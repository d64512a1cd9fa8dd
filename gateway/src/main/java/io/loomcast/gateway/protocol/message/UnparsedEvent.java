package io.loomcast.gateway.protocol.message;

import java.util.Arrays;

/**
 * A user control event RTMP 7.1.7 does not define, kept as its type and bytes so it can be passed on or logged.
 *
 * <p>This includes the SWF verification pair (0x1A request from the server, 0x1B response from the client) and
 * the buffer empty/ready pair (0x1F, 0x20) that Flash Media Server sends. They are kept raw on purpose: their
 * layout is only known from reverse engineering, and the gateway neither verifies SWFs (it has no SWF to hash)
 * nor acts on buffer hints, so a session that wants them matches on {@link #eventType()}.
 *
 * @param eventType the 16-bit event type, never one of the types that have their own record
 * @param data      the event data after the type; not copied
 */
public record UnparsedEvent(int eventType, byte[] data) implements UserControlEvent {
    public static final int SWF_VERIFY_REQUEST = 0x1A;
    public static final int SWF_VERIFY_RESPONSE = 0x1B;
    public static final int BUFFER_EMPTY = 0x1F;
    public static final int BUFFER_READY = 0x20;

    public UnparsedEvent {
        Checks.range(eventType, 0, 0xFFFF, "user control event type");
        if (UserControlCodec.hasRecord(eventType)) {
            throw new IllegalArgumentException("user control event type %d has its own record".formatted(eventType));
        }
        if (data == null) {
            throw new NullPointerException("data");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnparsedEvent e && e.eventType == eventType && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * eventType + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "UnparsedEvent[eventType=%d, data=%s]".formatted(eventType, Checks.describe(data));
    }
}
