package io.loomcast.gateway.protocol.message;

/**
 * One RTMP message, its payload interpreted (RTMP 5.4, 6.2, 7.1). {@link MessageCodec} turns a
 * {@link io.loomcast.gateway.protocol.chunk.RawMessage} into one of these and back.
 *
 * <p>Three families, each a sealed interface, so a {@code switch} that forgets a message type fails to compile:
 * <ul>
 *   <li>{@link ControlMessage}: protocol control messages, types 1, 2, 3, 5, 6 (RTMP 5.4);</li>
 *   <li>{@link UserControlEvent}: user control messages, type 4, one record per event (RTMP 6.2, 7.1.7);</li>
 *   <li>{@link StreamMessage}: everything that belongs to a message stream and carries its id and timestamp:
 *       audio, video, data, commands, shared objects, aggregates, and unknown types kept raw.</li>
 * </ul>
 * Control and user control messages belong to the connection, not a stream: they always travel on chunk
 * stream 2, message stream 0 (RTMP 5.4, 6.2), so their records carry neither.
 */
public sealed interface Message permits ControlMessage, UserControlEvent, StreamMessage {}
