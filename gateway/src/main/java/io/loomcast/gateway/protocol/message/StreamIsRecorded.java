package io.loomcast.gateway.protocol.message;

/**
 * User control event Stream Is Recorded (4, RTMP 7.1.7): the stream is recorded rather
 * than live.
 *
 * @param streamId the message stream it concerns (unsigned 32-bit on the wire, kept as its int bits)
 */
public record StreamIsRecorded(int streamId) implements UserControlEvent {}
