package io.loomcast.gateway.protocol.message;

/** RTMP message type ids (RTMP 5.4, 6.2, 7.1) and their names for error texts. */
public final class MessageTypes {
    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int ACKNOWLEDGEMENT = 3;
    public static final int USER_CONTROL = 4;
    public static final int WINDOW_ACKNOWLEDGEMENT_SIZE = 5;
    public static final int SET_PEER_BANDWIDTH = 6;
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int DATA_AMF3 = 15;
    public static final int SHARED_OBJECT_AMF3 = 16;
    public static final int COMMAND_AMF3 = 17;
    public static final int DATA_AMF0 = 18;
    public static final int SHARED_OBJECT_AMF0 = 19;
    public static final int COMMAND_AMF0 = 20;
    public static final int AGGREGATE = 22;

    private MessageTypes() {}

    /** Whether {@link MessageCodec} gives this type id its own record (anything else is an {@link UnknownMessage}). */
    public static boolean isKnown(int typeId) {
        return switch (typeId) {
            case SET_CHUNK_SIZE, ABORT, ACKNOWLEDGEMENT, USER_CONTROL, WINDOW_ACKNOWLEDGEMENT_SIZE, SET_PEER_BANDWIDTH,
                    AUDIO, VIDEO, DATA_AMF3, SHARED_OBJECT_AMF3, COMMAND_AMF3, DATA_AMF0, SHARED_OBJECT_AMF0,
                    COMMAND_AMF0, AGGREGATE -> true;
            default -> false;
        };
    }

    /** The spec's name for the type, or "type N" for one it does not define. */
    public static String name(int typeId) {
        return switch (typeId) {
            case SET_CHUNK_SIZE -> "Set Chunk Size";
            case ABORT -> "Abort Message";
            case ACKNOWLEDGEMENT -> "Acknowledgement";
            case USER_CONTROL -> "User Control";
            case WINDOW_ACKNOWLEDGEMENT_SIZE -> "Window Acknowledgement Size";
            case SET_PEER_BANDWIDTH -> "Set Peer Bandwidth";
            case AUDIO -> "Audio";
            case VIDEO -> "Video";
            case DATA_AMF3 -> "AMF3 Data";
            case SHARED_OBJECT_AMF3 -> "AMF3 Shared Object";
            case COMMAND_AMF3 -> "AMF3 Command";
            case DATA_AMF0 -> "AMF0 Data";
            case SHARED_OBJECT_AMF0 -> "AMF0 Shared Object";
            case COMMAND_AMF0 -> "AMF0 Command";
            case AGGREGATE -> "Aggregate";
            default -> "type " + typeId;
        };
    }
}
