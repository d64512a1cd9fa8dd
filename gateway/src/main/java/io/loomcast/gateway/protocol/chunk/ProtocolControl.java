package io.loomcast.gateway.protocol.chunk;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place where incoming protocol control messages (RTMP 5.4) take effect: Set Chunk Size and Abort
 * on the {@link ChunkReader}, Window Acknowledgement Size on the {@link AckWindow}, Set Peer Bandwidth and
 * Acknowledgement on the {@link PeerBandwidth}. It validates each value first, then applies it, and returns
 * what must be sent back. It takes plain values, so the typed message layer stays a thin switch over it.
 *
 * <p>The outgoing side is not here: the writing thread owns the {@link ChunkWriter} and changes its chunk
 * size when it writes its own Set Chunk Size.
 */
public final class ProtocolControl {
    private final ChunkReader reader;
    private final ChunkLimits limits;
    private final AckWindow ackWindow;
    private final PeerBandwidth peerBandwidth;

    public ProtocolControl(ChunkReader reader, ChunkLimits limits, AckWindow ackWindow, PeerBandwidth peerBandwidth) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ackWindow = Objects.requireNonNull(ackWindow, "ackWindow");
        this.peerBandwidth = Objects.requireNonNull(peerBandwidth, "peerBandwidth");
    }

    /** Set Chunk Size (RTMP 5.4.1): 31 bits, the top bit zero, at least 1; ours to cap lower. */
    public void onSetChunkSize(int chunkSizeBytes) throws ProtocolException {
        if (chunkSizeBytes < 1) {
            throw new ProtocolException("Set Chunk Size %s is not 1..2147483647 (RTMP 5.4.1: top bit zero)"
                    .formatted(Integer.toUnsignedString(chunkSizeBytes)));
        }
        if (chunkSizeBytes > limits.maxChunkSizeBytes()) {
            throw new ProtocolException("Set Chunk Size %d exceeds limit %d"
                    .formatted(chunkSizeBytes, limits.maxChunkSizeBytes()));
        }
        reader.chunkSize(chunkSizeBytes);
    }

    /** Abort Message (RTMP 5.4.2): drop the partial message on that chunk stream. */
    public void onAbort(int chunkStreamId) throws ProtocolException {
        if (!ChunkStreamIds.valid(chunkStreamId)) {
            throw new ProtocolException("Abort Message for chunk stream id %s outside %d..%d"
                    .formatted(Integer.toUnsignedString(chunkStreamId), ChunkStreamIds.MIN, ChunkStreamIds.MAX));
        }
        reader.abort(chunkStreamId);
    }

    /** Acknowledgement (RTMP 5.4.3): the peer has received this many of our bytes, modulo 2^32. */
    public void onAcknowledgement(long sequenceNumber) throws ProtocolException {
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFF_FFFFL) {
            throw new ProtocolException("Acknowledgement sequence number %d outside 0..4294967295"
                    .formatted(sequenceNumber));
        }
        peerBandwidth.onAcknowledgement(sequenceNumber);
    }

    /** Window Acknowledgement Size (RTMP 5.4.4): acknowledge every that many bytes from now on. */
    public void onWindowAckSize(int windowBytes) throws ProtocolException {
        if (windowBytes < 1) {
            throw new ProtocolException("Window Acknowledgement Size %s is not 1..2147483647"
                    .formatted(Integer.toUnsignedString(windowBytes)));
        }
        ackWindow.windowBytes(windowBytes);
    }

    /** Set Peer Bandwidth (RTMP 5.4.5); may call for a Window Acknowledgement Size in reply. */
    public Optional<ControlReply> onSetPeerBandwidth(int windowBytes, int limitType) throws ProtocolException {
        if (windowBytes < 1) {
            throw new ProtocolException("Set Peer Bandwidth window %s is not 1..2147483647"
                    .formatted(Integer.toUnsignedString(windowBytes)));
        }
        PeerBandwidth.LimitType type = PeerBandwidth.LimitType.fromWire(limitType);
        var reply = peerBandwidth.onSetPeerBandwidth(windowBytes, type);
        return reply.isPresent() ? Optional.of(new ControlReply.WindowAckSize(reply.getAsInt())) : Optional.empty();
    }

    /**
     * Call after each message read, with the total bytes received (the reader's count plus any bytes read
     * before it, such as the handshake's): the Acknowledgement to send now, if one is due (RTMP 5.4.3).
     */
    public Optional<ControlReply> acknowledgementDue(long bytesReceived) {
        var due = ackWindow.acknowledgementDue(bytesReceived);
        return due.isPresent() ? Optional.of(new ControlReply.Acknowledgement(due.getAsLong())) : Optional.empty();
    }
}
