package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;

/**
 * Turns reassembled messages into typed {@link Message}s and back. Pure functions: no state, no I/O.
 *
 * <p>Decoding: any payload either decodes or fails with a {@link ProtocolException} whose text names the
 * message and what was wrong ("Set Chunk Size payload is 3 bytes, needs 4"); nothing else escapes. A type id
 * RTMP does not define is not an error: it becomes an {@link UnknownMessage} the session may ignore.
 *
 * <p>Envelope: control and user control messages are decoded whatever chunk stream, message stream and
 * timestamp they came with, since only their payload means anything (RTMP 5.4 says they are sent on chunk
 * stream 2, message stream 0, but refusing one that is not would help nobody). Stream messages keep their
 * message stream id and timestamp. The chunk stream id is never kept: on encode, {@link ChunkStreams#of}
 * chooses it from the kind of message.
 */
public final class MessageCodec {
    private MessageCodec() {}

    /** The typed message a raw message holds. */
    public static Message decode(RawMessage raw) throws ProtocolException {
        byte[] p = raw.payload();
        return switch (raw.typeId()) {
            case MessageTypes.SET_CHUNK_SIZE, MessageTypes.ABORT, MessageTypes.ACKNOWLEDGEMENT,
                    MessageTypes.WINDOW_ACKNOWLEDGEMENT_SIZE, MessageTypes.SET_PEER_BANDWIDTH ->
                    ControlCodec.decode(raw.typeId(), p);
            case MessageTypes.USER_CONTROL -> UserControlCodec.decode(p);
            // RTMP 7.1.4, 7.1.5: the payload is the FLV tag body; the media layer reads it. Not copied.
            case MessageTypes.AUDIO -> new AudioMessage(raw.messageStreamId(), raw.timestamp(), p);
            case MessageTypes.VIDEO -> new VideoMessage(raw.messageStreamId(), raw.timestamp(), p);
            case MessageTypes.DATA_AMF0 -> AmfMessageCodec.decodeData(AmfEncoding.AMF0, raw);
            case MessageTypes.DATA_AMF3 -> AmfMessageCodec.decodeData(AmfEncoding.AMF3, raw);
            case MessageTypes.COMMAND_AMF0 -> AmfMessageCodec.decodeCommand(AmfEncoding.AMF0, raw);
            case MessageTypes.COMMAND_AMF3 -> AmfMessageCodec.decodeCommand(AmfEncoding.AMF3, raw);
            case MessageTypes.SHARED_OBJECT_AMF0 -> SharedObjectCodec.decode(AmfEncoding.AMF0, raw);
            case MessageTypes.SHARED_OBJECT_AMF3 -> SharedObjectCodec.decode(AmfEncoding.AMF3, raw);
            case MessageTypes.AGGREGATE -> AggregateCodec.decode(raw);
            default -> new UnknownMessage(raw.typeId(), raw.messageStreamId(), raw.timestamp(), p);
        };
    }

    /**
     * The raw message to send: the type id of {@code message}, the chunk stream {@link ChunkStreams#of} picks,
     * and for control messages message stream 0 and timestamp 0 (RTMP 5.4, 6.2).
     *
     * @throws IllegalArgumentException if the payload would exceed the 24-bit message length field
     *                                  ({@link ChunkWriter#MAX_MESSAGE_BYTES}, RTMP 5.3.1.2.1)
     */
    public static RawMessage encode(Message message) {
        byte[] payload = payload(message);
        if (payload.length > ChunkWriter.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("%s payload of %d bytes exceeds the %d an RTMP message can carry"
                    .formatted(MessageTypes.name(typeId(message)), payload.length, ChunkWriter.MAX_MESSAGE_BYTES));
        }
        return switch (message) {
            case StreamMessage s ->
                    new RawMessage(ChunkStreams.of(s), typeId(s), s.messageStreamId(), s.timestamp(), payload);
            case ControlMessage c -> new RawMessage(ChunkStreams.CONTROL, typeId(c), 0, 0, payload);
            case UserControlEvent e -> new RawMessage(ChunkStreams.CONTROL, typeId(e), 0, 0, payload);
        };
    }

    /** The message type id {@code message} is sent as. */
    public static int typeId(Message message) {
        return switch (message) {
            case ControlMessage c -> ControlCodec.typeId(c);
            case UserControlEvent e -> MessageTypes.USER_CONTROL;
            case AudioMessage a -> MessageTypes.AUDIO;
            case VideoMessage v -> MessageTypes.VIDEO;
            case DataMessage d -> pick(d.encoding(), MessageTypes.DATA_AMF0, MessageTypes.DATA_AMF3);
            case CommandMessage c -> pick(c.encoding(), MessageTypes.COMMAND_AMF0, MessageTypes.COMMAND_AMF3);
            case SharedObjectMessage s ->
                    pick(s.encoding(), MessageTypes.SHARED_OBJECT_AMF0, MessageTypes.SHARED_OBJECT_AMF3);
            case AggregateMessage a -> MessageTypes.AGGREGATE;
            case UnknownMessage u -> u.typeId();
        };
    }

    private static int pick(AmfEncoding encoding, int amf0TypeId, int amf3TypeId) {
        return switch (encoding) {
            case AMF0 -> amf0TypeId;
            case AMF3 -> amf3TypeId;
        };
    }

    /** The payload bytes of {@code message}; for audio and video, the very array the record holds. */
    public static byte[] payload(Message message) {
        return switch (message) {
            case ControlMessage c -> ControlCodec.encode(c);
            case UserControlEvent e -> UserControlCodec.encode(e);
            case AudioMessage a -> a.data();
            case VideoMessage v -> v.data();
            case DataMessage d -> AmfMessageCodec.encodeData(d);
            case CommandMessage c -> AmfMessageCodec.encodeCommand(c);
            case SharedObjectMessage s -> SharedObjectCodec.encode(s);
            case AggregateMessage a -> AggregateCodec.encode(a);
            case UnknownMessage u -> u.payload();
        };
    }
}
