package io.loomcast.gateway.protocol.message;

/**
 * The chunk stream id each kind of message is sent on. The only place these numbers are chosen.
 *
 * <p>Why fixed ids per kind (DESIGN.md, "Shared bytes for fan-out"): a media message's chunked bytes then
 * depend only on chunk size, message stream id and timestamp, so they can be built once and shared by every
 * subscriber. Why one id per kind rather than one for all media: an Abort Message names a chunk stream
 * (RTMP 5.4.2), so a half-sent video frame can be abandoned without touching audio, and each kind keeps its
 * own header state for the peer's header compression.
 *
 * <p>The numbers follow what real peers already use, so our traffic looks like theirs in a capture: 2 is
 * mandatory for control (RTMP 5.4, 6.2); FFmpeg and librtmp send NetConnection commands on 3, audio on 4 and
 * video on 6; nginx-rtmp sends stream data (onMetaData) on 5. All are below 64, so the basic header is one
 * byte (RTMP 5.3.1.1).
 */
public final class ChunkStreams {
    /** Protocol control and user control messages: mandated by RTMP 5.4 and 6.2. */
    public static final int CONTROL = 2;
    /** Commands and shared object messages, on the NetConnection or a NetStream alike. */
    public static final int COMMAND = 3;
    /** Audio messages. */
    public static final int AUDIO = 4;
    /** Data messages (onMetaData, @setDataFrame) and unknown message types. */
    public static final int DATA = 5;
    /** Video messages, and aggregates, which mostly carry video. */
    public static final int VIDEO = 6;

    private ChunkStreams() {}

    /** The chunk stream {@code message} is sent on. */
    public static int of(Message message) {
        return switch (message) {
            case ControlMessage c -> CONTROL;
            case UserControlEvent e -> CONTROL;
            case AudioMessage a -> AUDIO;
            case VideoMessage v -> VIDEO;
            case AggregateMessage a -> VIDEO;
            case DataMessage d -> DATA;
            case UnknownMessage u -> DATA;
            case CommandMessage c -> COMMAND;
            case SharedObjectMessage s -> COMMAND;
        };
    }
}
