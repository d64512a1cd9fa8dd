package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.PeerBandwidth;

/** Payloads of the protocol control messages (RTMP 5.4): fixed sizes, big-endian. */
final class ControlCodec {
    private ControlCodec() {}

    static ControlMessage decode(int typeId, byte[] p) throws ProtocolException {
        return switch (typeId) {
            case MessageTypes.SET_CHUNK_SIZE -> setChunkSize(p);
            case MessageTypes.ABORT -> abort(p);
            case MessageTypes.ACKNOWLEDGEMENT -> new Acknowledgement(u32(exactly(4, typeId, p), 0));
            case MessageTypes.WINDOW_ACKNOWLEDGEMENT_SIZE ->
                    new WindowAcknowledgementSize(u32(exactly(4, typeId, p), 0));
            case MessageTypes.SET_PEER_BANDWIDTH -> setPeerBandwidth(p);
            default -> throw new IllegalArgumentException("type %d is not a protocol control message"
                    .formatted(typeId));
        };
    }

    private static SetChunkSize setChunkSize(byte[] p) throws ProtocolException {
        long size = u32(exactly(4, MessageTypes.SET_CHUNK_SIZE, p), 0);
        // RTMP 5.4.1: the first bit MUST be zero; valid sizes are 1 to 2^31-1.
        if (size > Integer.MAX_VALUE) {
            throw new ProtocolException("Set Chunk Size 0x%08X has the high bit set, which must be 0".formatted(size));
        }
        if (size == 0) {
            throw new ProtocolException("Set Chunk Size 0 is invalid, the minimum is 1");
        }
        return new SetChunkSize((int) size);
    }

    private static Abort abort(byte[] p) throws ProtocolException {
        long csid = u32(exactly(4, MessageTypes.ABORT, p), 0);
        if (csid < Abort.MIN_CHUNK_STREAM_ID || csid > Abort.MAX_CHUNK_STREAM_ID) {
            throw new ProtocolException("Abort Message names chunk stream %d, valid ids are %d..%d"
                    .formatted(csid, Abort.MIN_CHUNK_STREAM_ID, Abort.MAX_CHUNK_STREAM_ID));
        }
        return new Abort((int) csid);
    }

    private static SetPeerBandwidth setPeerBandwidth(byte[] p) throws ProtocolException {
        exactly(5, MessageTypes.SET_PEER_BANDWIDTH, p);
        return new SetPeerBandwidth(u32(p, 0), PeerBandwidth.LimitType.fromWire(p[4] & 0xFF));
    }

    static byte[] encode(ControlMessage m) {
        PayloadWriter w = new PayloadWriter(5);
        switch (m) {
            case SetChunkSize s -> w.u32(s.sizeBytes());
            case Abort a -> w.u32(a.chunkStreamId());
            case Acknowledgement a -> w.u32(a.sequenceNumber());
            case WindowAcknowledgementSize s -> w.u32(s.windowBytes());
            case SetPeerBandwidth b -> w.u32(b.windowBytes()).u8(b.limitType().wireValue());
        }
        return w.toByteArray();
    }

    static int typeId(ControlMessage m) {
        return switch (m) {
            case SetChunkSize s -> MessageTypes.SET_CHUNK_SIZE;
            case Abort a -> MessageTypes.ABORT;
            case Acknowledgement a -> MessageTypes.ACKNOWLEDGEMENT;
            case WindowAcknowledgementSize s -> MessageTypes.WINDOW_ACKNOWLEDGEMENT_SIZE;
            case SetPeerBandwidth b -> MessageTypes.SET_PEER_BANDWIDTH;
        };
    }

    /** RTMP 5.4: every control message has a fixed size; a longer payload is as wrong as a shorter one. */
    static byte[] exactly(int bytes, int typeId, byte[] p) throws ProtocolException {
        if (p.length != bytes) {
            throw new ProtocolException("%s payload is %d bytes, needs %d"
                    .formatted(MessageTypes.name(typeId), p.length, bytes));
        }
        return p;
    }

    static long u32(byte[] p, int at) {
        return (long) (p[at] & 0xFF) << 24 | (p[at + 1] & 0xFF) << 16 | (p[at + 2] & 0xFF) << 8 | (p[at + 3] & 0xFF);
    }
}
