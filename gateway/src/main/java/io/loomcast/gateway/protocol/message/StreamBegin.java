package io.loomcast.gateway.protocol.message;

/**
 * User control event Stream Begin (0, RTMP 7.1.7): the stream is ready for use; the server sends
 * it when it starts sending a stream's data, commonly right after connect succeeds (for stream 0) and before
 * play's NetStream.Play.Start.
 *
 * @param streamId the message stream it concerns (unsigned 32-bit on the wire, kept as its int bits)
 */
public record StreamBegin(int streamId) implements UserControlEvent {}
