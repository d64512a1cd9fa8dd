package io.loomcast.gateway.routing;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.MessageTypes;

/**
 * A frame's wire form for a push (key use {@link Frame.Use#PUBLISH}): as a player's, a fixed chunk stream per
 * kind and a fmt-0 header, but the metadata goes out as {@code @setDataFrame}, as a publisher sends it, and the
 * key's timestamp offset is added. Every push with the same chunk size, stream id and offset shares the bytes.
 */
final class PushWire {
    private PushWire() {}

    static RawMessage message(Frame f, Frame.WireKey key) {
        long ts = (f.timestampMs() + key.timestampOffsetMs()) & 0xFFFF_FFFFL;
        return switch (f.kind()) {
            case AUDIO -> new RawMessage(ChunkStreams.AUDIO, MessageTypes.AUDIO, key.messageStreamId(), ts, f.payload());
            case VIDEO -> new RawMessage(ChunkStreams.VIDEO, MessageTypes.VIDEO, key.messageStreamId(), ts, f.payload());
            // A server expects the publisher's metadata as @setDataFrame, which it stores and passes on.
            case DATA -> new RawMessage(ChunkStreams.DATA, MessageTypes.DATA_AMF0, key.messageStreamId(), ts,
                    f.config() ? DataFrames.setDataFrame(f.payload()) : f.payload());
        };
    }
}
