package io.loomcast.gateway.protocol.chunk;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The limit the peer puts on our output with Set Peer Bandwidth (RTMP 5.4.5), and its Acknowledgements of
 * what we sent (RTMP 5.4.3). A pure state machine; whether to hold back output is the session's choice.
 *
 * <p>RTMP 5.4.5: a hard limit replaces the one in effect; a soft one applies only if smaller than the one in
 * effect (or if none is); a dynamic one counts as hard if the previous limit type was hard and is ignored
 * otherwise. "Previous limit type" is read as the type of the last message that was not ignored. When the
 * limit in effect differs from the last Window Acknowledgement Size we sent, the peer should get a new one.
 */
public final class PeerBandwidth {
    private static final long UINT32_MASK = 0xFFFF_FFFFL;

    /** Limit Type of Set Peer Bandwidth, with its wire value. */
    public enum LimitType {
        HARD, SOFT, DYNAMIC;

        /** RTMP 5.4.5: 0 hard, 1 soft, 2 dynamic. */
        public static LimitType fromWire(int value) throws ProtocolException {
            return switch (value) {
                case 0 -> HARD;
                case 1 -> SOFT;
                case 2 -> DYNAMIC;
                default -> throw new ProtocolException(
                        "Set Peer Bandwidth limit type %d is not 0 (hard), 1 (soft) or 2 (dynamic)".formatted(value));
            };
        }

        public int wireValue() {
            return ordinal();
        }
    }

    private int limitBytes;
    private LimitType limitType;
    private int windowAckSizeSentBytes;
    private long lastAcknowledgedSequence = -1;

    /** @param windowAckSizeSentBytes the Window Acknowledgement Size already sent to the peer, 0 if none */
    public PeerBandwidth(int windowAckSizeSentBytes) {
        windowAckSizeSent(windowAckSizeSentBytes);
    }

    /** Records a Window Acknowledgement Size the session sent on its own. */
    public void windowAckSizeSent(int windowBytes) {
        if (windowBytes < 0) {
            throw new IllegalArgumentException("window must not be negative, was " + windowBytes);
        }
        this.windowAckSizeSentBytes = windowBytes;
    }

    /**
     * Applies a Set Peer Bandwidth. Returns the Window Acknowledgement Size to send back, if the limit in
     * effect now differs from the last one sent; calling it counts that reply as sent.
     */
    public OptionalInt onSetPeerBandwidth(int windowBytes, LimitType type) {
        if (windowBytes < 1) {
            throw new IllegalArgumentException("window must be positive, was " + windowBytes);
        }
        switch (type) {
            case HARD -> limit(windowBytes, LimitType.HARD);
            case SOFT -> limit(limitType == null ? windowBytes : Math.min(limitBytes, windowBytes), LimitType.SOFT);
            case DYNAMIC -> {
                if (limitType != LimitType.HARD) {
                    return OptionalInt.empty();
                }
                limit(windowBytes, LimitType.HARD);
            }
        }
        if (limitBytes == windowAckSizeSentBytes) {
            return OptionalInt.empty();
        }
        windowAckSizeSentBytes = limitBytes;
        return OptionalInt.of(limitBytes);
    }

    private void limit(int bytes, LimitType type) {
        limitBytes = bytes;
        limitType = type;
    }

    /** Records the peer's Acknowledgement: the 32-bit count of our bytes it has received. */
    public void onAcknowledgement(long sequenceNumber) {
        if (sequenceNumber < 0 || sequenceNumber > UINT32_MASK) {
            throw new IllegalArgumentException("sequence number %d outside unsigned 32-bit range".formatted(sequenceNumber));
        }
        lastAcknowledgedSequence = sequenceNumber;
    }

    /** Output limit in bytes not yet acknowledged; empty until the peer sets one. */
    public OptionalInt limitBytes() {
        return limitType == null ? OptionalInt.empty() : OptionalInt.of(limitBytes);
    }

    /** Type of the last Set Peer Bandwidth that took effect (dynamic ones are recorded as hard). */
    public Optional<LimitType> limitType() {
        return Optional.ofNullable(limitType);
    }

    public int windowAckSizeSentBytes() {
        return windowAckSizeSentBytes;
    }

    /**
     * Bytes sent that the peer has not acknowledged yet, given our total sent. The sequence number wraps at
     * 2^32, so this is right while fewer than 4 GiB are outstanding; before any Acknowledgement it is all of it.
     */
    public long unacknowledgedBytes(long bytesSent) {
        if (lastAcknowledgedSequence < 0) {
            return bytesSent;
        }
        return (bytesSent - lastAcknowledgedSequence) & UINT32_MASK;
    }
}
