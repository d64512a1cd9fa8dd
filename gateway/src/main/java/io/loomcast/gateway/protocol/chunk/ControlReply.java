package io.loomcast.gateway.protocol.chunk;

/**
 * A protocol control message that {@link ProtocolControl} says must go back to the peer. The session turns
 * it into the typed message and queues it ahead of media.
 */
public sealed interface ControlReply {
    /** Send Window Acknowledgement Size (RTMP 5.4.4), answering a Set Peer Bandwidth (RTMP 5.4.5). */
    record WindowAckSize(int windowBytes) implements ControlReply {}

    /** Send Acknowledgement (RTMP 5.4.3) with this 32-bit sequence number (bytes received, wrapped). */
    record Acknowledgement(long sequenceNumber) implements ControlReply {}
}
