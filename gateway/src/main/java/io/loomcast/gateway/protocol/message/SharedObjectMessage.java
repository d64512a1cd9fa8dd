package io.loomcast.gateway.protocol.message;

import java.util.List;
import java.util.Objects;

/**
 * Shared object message (type 19 AMF0, 16 AMF3; RTMP 7.1.3): a header naming the remote shared object, then a
 * list of {@link SharedObjectEvent}s. Header layout: name (16-bit length + UTF-8), version (4 bytes), flags
 * (4 bytes), 4 reserved bytes. The AMF3 type has a leading 0x00 format byte, like AMF3 commands.
 *
 * @param encoding        which of the two message types it came as or is to be sent as
 * @param messageStreamId the stream it belongs to (0 in practice)
 * @param timestamp       milliseconds, unsigned 32-bit
 * @param name            the shared object's name
 * @param version         the sender's version of the object, unsigned 32-bit
 * @param flags           the 4-byte flags field as sent; see {@link #persistent()}
 * @param events          the events, in order
 */
public record SharedObjectMessage(
        AmfEncoding encoding,
        int messageStreamId,
        long timestamp,
        String name,
        long version,
        int flags,
        List<SharedObjectEvent> events) implements StreamMessage {

    /**
     * The flag value Red5 writes for a persistent object (and 0 otherwise). The spec calls the field a
     * persistence flag without giving values, and Flash Media Server has been seen sending 16 and 48, so the
     * whole field is kept as sent.
     */
    public static final int FLAG_PERSISTENT = 2;

    public SharedObjectMessage {
        Objects.requireNonNull(encoding, "encoding");
        Checks.uint32(timestamp, "timestamp");
        Objects.requireNonNull(name, "name");
        Checks.uint32(version, "version");
        events = List.copyOf(events);
    }

    /** Whether the persistence bit is set. */
    public boolean persistent() {
        return (flags & FLAG_PERSISTENT) != 0;
    }
}
