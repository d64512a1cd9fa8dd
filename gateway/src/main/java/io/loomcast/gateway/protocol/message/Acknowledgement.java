package io.loomcast.gateway.protocol.message;

/**
 * Acknowledgement (type 3, RTMP 5.4.3), sent each time a window's worth of bytes has arrived.
 *
 * @param sequenceNumber bytes received so far, unsigned 32-bit and wrapping (the spec's "sequence number")
 */
public record Acknowledgement(long sequenceNumber) implements ControlMessage {
    public Acknowledgement {
        Checks.uint32(sequenceNumber, "sequence number");
    }
}
