package io.loomcast.gateway.protocol.message;

/**
 * User control event Stream Dry (2, RTMP 7.1.7): no more data on the stream for now, without
 * ending it. Lets the player tell a pause in the source from a network stall.
 *
 * @param streamId the message stream it concerns (unsigned 32-bit on the wire, kept as its int bits)
 */
public record StreamDry(int streamId) implements UserControlEvent {}
