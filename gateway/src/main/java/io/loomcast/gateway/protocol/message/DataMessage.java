package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.amf.AmfValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Data message (type 18 AMF0, 15 AMF3; RTMP 7.1.2): metadata or user data for a stream, as a handler name and
 * AMF values. A publisher sends {@code @setDataFrame, "onMetaData", {...}}; a player receives
 * {@code onMetaData, {...}}.
 *
 * @param encoding        which of the two message types it came as or is to be sent as
 * @param messageStreamId the stream it belongs to
 * @param timestamp       absolute timestamp in milliseconds, unsigned 32-bit
 * @param handler         the first value, a string: the method to call on the receiving NetStream
 * @param values          the values after the handler name
 */
public record DataMessage(
        AmfEncoding encoding, int messageStreamId, long timestamp, String handler, List<AmfValue> values)
        implements StreamMessage {

    public static final String SET_DATA_FRAME = "@setDataFrame";
    public static final String CLEAR_DATA_FRAME = "@clearDataFrame";
    public static final String ON_META_DATA = "onMetaData";

    public DataMessage {
        Objects.requireNonNull(encoding, "encoding");
        Checks.uint32(timestamp, "timestamp");
        Objects.requireNonNull(handler, "handler");
        values = List.copyOf(values);
    }

    /** An AMF0 data message. */
    public static DataMessage of(int messageStreamId, long timestamp, String handler, AmfValue... values) {
        return new DataMessage(AmfEncoding.AMF0, messageStreamId, timestamp, handler, List.of(values));
    }

    /**
     * What a publisher's {@code @setDataFrame, name, values...} asks the server to keep and send to players:
     * {@code name, values...}. Empty when this is not a {@code @setDataFrame} naming a handler.
     */
    public Optional<DataMessage> dataFrame() {
        if (!handler.equals(SET_DATA_FRAME) || values.isEmpty() || !(values.getFirst() instanceof AmfValue.Str frame)) {
            return Optional.empty();
        }
        List<AmfValue> rest = values.subList(1, values.size());
        return Optional.of(new DataMessage(encoding, messageStreamId, timestamp, frame.value(), rest));
    }
}
