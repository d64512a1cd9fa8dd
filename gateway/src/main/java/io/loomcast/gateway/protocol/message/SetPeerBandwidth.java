package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.chunk.PeerBandwidth.LimitType;
import java.util.Objects;

/**
 * Set Peer Bandwidth (type 6, RTMP 5.4.5): limits the receiver's output window, which it answers with a
 * Window Acknowledgement Size when the window changes.
 *
 * @param windowBytes unsigned 32-bit
 * @param limitType   how to combine this limit with the one already in force; the chunk layer's enum, since
 *                    {@link io.loomcast.gateway.protocol.chunk.ProtocolControl} is where it takes effect
 */
public record SetPeerBandwidth(long windowBytes, LimitType limitType) implements ControlMessage {
    public SetPeerBandwidth {
        Checks.uint32(windowBytes, "window size");
        Objects.requireNonNull(limitType, "limitType");
    }
}
