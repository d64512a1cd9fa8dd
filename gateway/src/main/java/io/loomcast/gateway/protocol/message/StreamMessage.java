package io.loomcast.gateway.protocol.message;

/**
 * A message that belongs to a message stream: it keeps the message stream id and timestamp it arrived with
 * or is to be sent with, because its meaning depends on them (which stream is published or played, where a
 * frame sits on the timeline).
 */
public sealed interface StreamMessage extends Message
        permits AudioMessage, VideoMessage, DataMessage, CommandMessage, SharedObjectMessage, AggregateMessage,
                UnknownMessage {

    /** Message stream id; 0 is the NetConnection. Unsigned 32-bit on the wire, kept as its int bits. */
    int messageStreamId();

    /** Absolute timestamp in milliseconds, unsigned 32-bit (0 .. 2^32-1), wrapping. */
    long timestamp();
}
