package io.loomcast.gateway.protocol.message;

/**
 * User control event Set Buffer Length (3, RTMP 7.1.7): the client tells the server how much of the stream it
 * buffers, before the server starts to send it.
 *
 * @param streamId     the message stream it concerns (unsigned 32-bit on the wire, kept as its int bits)
 * @param bufferMillis buffer length in milliseconds, unsigned 32-bit
 */
public record SetBufferLength(int streamId, long bufferMillis) implements UserControlEvent {
    public SetBufferLength {
        Checks.uint32(bufferMillis, "buffer length");
    }
}
