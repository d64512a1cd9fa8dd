package io.loomcast.gateway.protocol.chunk;

import java.util.OptionalLong;

/**
 * When we owe the peer an Acknowledgement. RTMP 5.4.4: a Window Acknowledgement Size from the peer asks us
 * to acknowledge every that many bytes received; RTMP 5.4.3: the Acknowledgement carries the bytes received
 * so far as a 32-bit sequence number, which wraps after 4 GiB while our own count does not.
 *
 * <p>A pure state machine: the caller feeds totals and sends what it is told. Until the peer sets a window
 * no Acknowledgement is due.
 */
public final class AckWindow {
    private static final long UINT32_MASK = 0xFFFF_FFFFL;

    private int windowBytes;
    private long bytesAcknowledged;

    /** Applies the peer's Window Acknowledgement Size; validated (1..2^31-1) by {@link ProtocolControl}. */
    public void windowBytes(int windowBytes) {
        if (windowBytes < 1) {
            throw new IllegalArgumentException("window must be positive, was " + windowBytes);
        }
        this.windowBytes = windowBytes;
    }

    /** The acknowledgement window in bytes; 0 while the peer has not set one. */
    public int windowBytes() {
        return windowBytes;
    }

    /** Total bytes received at our last Acknowledgement (0 before the first). */
    public long bytesAcknowledged() {
        return bytesAcknowledged;
    }

    /**
     * Given the total bytes received so far (never decreasing), returns the sequence number of the
     * Acknowledgement to send now, if a full window has arrived since the last one; calling it counts it sent.
     * One Acknowledgement covers any number of whole windows.
     */
    public OptionalLong acknowledgementDue(long bytesReceived) {
        if (bytesReceived < bytesAcknowledged) {
            throw new IllegalArgumentException("bytes received went back from %d to %d"
                    .formatted(bytesAcknowledged, bytesReceived));
        }
        if (windowBytes == 0 || bytesReceived - bytesAcknowledged < windowBytes) {
            return OptionalLong.empty();
        }
        bytesAcknowledged = bytesReceived;
        return OptionalLong.of(sequenceNumber(bytesReceived));
    }

    /** RTMP 5.4.3: the sequence number is the byte count modulo 2^32. */
    public static long sequenceNumber(long bytesReceived) {
        return bytesReceived & UINT32_MASK;
    }
}
