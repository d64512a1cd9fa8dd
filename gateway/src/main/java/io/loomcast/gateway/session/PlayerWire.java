package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.MessageTypes;

/**
 * A frame's wire form for players (DESIGN.md, "Shared bytes for fan-out"): a fixed chunk stream per kind and a
 * fmt-0 header, so its bytes depend only on the frame, the chunk size and the message stream id, and every
 * player with the same two shares them.
 */
final class PlayerWire {
    private PlayerWire() {}

    static RawMessage message(Frame f, Frame.WireKey key) {
        int csid;
        int type;
        switch (f.kind()) {
            case AUDIO -> {
                csid = ChunkStreams.AUDIO;
                type = MessageTypes.AUDIO;
            }
            case VIDEO -> {
                csid = ChunkStreams.VIDEO;
                type = MessageTypes.VIDEO;
            }
            case DATA -> {
                csid = ChunkStreams.DATA;
                type = MessageTypes.DATA_AMF0;
            }
            default -> throw new AssertionError(f.kind());
        }
        return new RawMessage(csid, type, key.messageStreamId(), f.timestampMs() & 0xFFFF_FFFFL, f.payload());
    }
}
