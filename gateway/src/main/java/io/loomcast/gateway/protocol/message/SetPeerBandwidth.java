package io.loomcast.gateway.protocol.message;

import java.util.Objects;

/**
 * Set Peer Bandwidth (type 6, RTMP 5.4.5): limits the receiver's output window, which it answers with a
 * Window Acknowledgement Size when the window changes.
 *
 * @param windowBytes unsigned 32-bit
 * @param limitType   how to combine this limit with the one already in force
 */
public record SetPeerBandwidth(long windowBytes, LimitType limitType) implements ControlMessage {
    public SetPeerBandwidth {
        Checks.uint32(windowBytes, "window size");
        Objects.requireNonNull(limitType, "limitType");
    }

    /** RTMP 5.4.5 limit types; the ordinal is the wire value (0, 1, 2). */
    public enum LimitType {
        /** Use this window size. */
        HARD,
        /** Use the smaller of this and the current window. */
        SOFT,
        /** Hard if the previous limit was hard, otherwise ignore this message. */
        DYNAMIC;

        public int wireValue() {
            return ordinal();
        }
    }
}
