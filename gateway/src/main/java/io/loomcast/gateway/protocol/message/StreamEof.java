package io.loomcast.gateway.protocol.message;

/**
 * User control event Stream EOF (1, RTMP 7.1.7): the playback of the stream is over; no more
 * data will be sent on it.
 *
 * @param streamId the message stream it concerns (unsigned 32-bit on the wire, kept as its int bits)
 */
public record StreamEof(int streamId) implements UserControlEvent {}
