package io.loomcast.gateway.protocol.chunk;

/**
 * One whole RTMP message as reassembled from chunks (RTMP 5.3), before its payload is interpreted.
 *
 * @param chunkStreamId   the chunk stream it arrived on or is to be sent on (2..65599)
 * @param typeId          message type id (RTMP 5.4, 7.1): 1..6 control, 8 audio, 9 video, 15..22 data/command
 * @param messageStreamId message stream id (little-endian on the wire); 0 is the NetConnection
 * @param timestamp       absolute timestamp in milliseconds, unsigned 32-bit (0 .. 2^32-1), wrapping
 * @param payload         the message body; not copied, so callers must not change it after handing it over
 */
public record RawMessage(int chunkStreamId, int typeId, int messageStreamId, long timestamp, byte[] payload) {
    public RawMessage {
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timestamp %d outside unsigned 32-bit range".formatted(timestamp));
        }
    }

    public int length() {
        return payload.length;
    }

    @Override
    public String toString() {
        return "RawMessage[csid=%d, type=%d, msid=%d, ts=%d, %d bytes]"
                .formatted(chunkStreamId, typeId, messageStreamId, timestamp, payload.length);
    }
}
