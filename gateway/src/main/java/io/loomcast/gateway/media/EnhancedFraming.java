package io.loomcast.gateway.media;

import static io.loomcast.gateway.media.BigEndian.need;
import static io.loomcast.gateway.media.BigEndian.u16;
import static io.loomcast.gateway.media.BigEndian.u24;
import static io.loomcast.gateway.media.BigEndian.u32;
import static io.loomcast.gateway.media.BigEndian.u8;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * The framing Enhanced RTMP v2 shares between audio and video: ModEx blocks before the packet type, and
 * the per-track headers of multitrack messages. Results come back packed into a {@code long} so that the
 * per-message path allocates nothing but the tag record.
 */
final class EnhancedFraming {
    /** PacketType value of ModEx, the same for audio and video (enhanced-rtmp v2). */
    static final int MOD_EX = 7;
    /** ModExType TimestampOffsetNano. */
    private static final int TIMESTAMP_OFFSET_NANO = 0;

    private EnhancedFraming() {}

    /** Audio or video, with the field names for error messages built once rather than per message. */
    enum Media {
        AUDIO("audio", 5),
        VIDEO("video", 6);

        final String label;
        /** The PacketType value of Multitrack, which differs: 5 for audio, 6 for video (enhanced-rtmp v2). */
        final int multitrack;
        private final String multitrackType;
        private final String multitrackFourCc;
        private final String modExSize;
        private final String modExSize16;
        private final String modExData;
        private final String trackFourCc;
        private final String trackId;
        private final String trackSize;

        Media(String label, int multitrack) {
            this.label = label;
            this.multitrack = multitrack;
            this.multitrackType = label + " multitrack type";
            this.multitrackFourCc = label + " multitrack FourCC";
            this.modExSize = label + " ModEx size";
            this.modExSize16 = label + " ModEx 16-bit size";
            this.modExData = label + " ModEx data and type";
            this.trackFourCc = label + " track FourCC";
            this.trackId = label + " track id";
            this.trackSize = label + " track size";
        }
    }

    /**
     * Reads ModEx blocks (enhanced-rtmp v2, "process each ModEx data packet") starting at {@code pos}, which is
     * just past the byte whose low nibble was ModEx. Each block is a size (UI8 + 1, or UI16 + 1 when the UI8
     * says 256), the data, then a byte of ModExType (high nibble) and the next PacketType (low nibble).
     * ModExTypes other than TimestampOffsetNano are skipped by their size, which keeps us in step.
     *
     * @return {@link #modExPos}, {@link #modExPacketType} and {@link #modExNanos} packed in one long
     */
    static long readModEx(byte[] b, int pos, int end, Media media) throws ProtocolException {
        int packetType = MOD_EX;
        int nanos = 0;
        while (packetType == MOD_EX) {
            int size = u8(b, pos, end, media.modExSize) + 1;
            pos += 1;
            if (size == 256) {
                size = u16(b, pos, end, media.modExSize16) + 1;
                pos += 2;
            }
            need(pos, end, size + 1, media.modExData);
            int typeByte = b[pos + size] & 0xFF;
            if (typeByte >>> 4 == TIMESTAMP_OFFSET_NANO) {
                // enhanced-rtmp v2: "modExData must be at least 3 bytes"; the offset is its first UI24.
                if (size < 3) {
                    throw new ProtocolException("%s ModEx TimestampOffsetNano has %d data bytes, needs 3"
                            .formatted(media.label, size));
                }
                nanos = (b[pos] & 0xFF) << 16 | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF);
            }
            pos += size + 1;
            packetType = typeByte & 0x0F;
        }
        return (long) pos << 32 | (long) nanos << 4 | packetType;
    }

    static int modExPos(long packed) {
        return (int) (packed >>> 32);
    }

    static int modExPacketType(long packed) {
        return (int) (packed & 0x0F);
    }

    static int modExNanos(long packed) {
        return (int) (packed >>> 4 & 0xFF_FFFF);
    }

    /**
     * Reads one multitrack track header (enhanced-rtmp v2, ExVideoTagBody / ExAudioTagBody): a FourCC when
     * the layout is ManyTracksManyCodecs, the UI8 track id, then a UI24 size unless the layout is OneTrack.
     * The size must fit in the message.
     *
     * @return the track's FourCC (or {@code sharedFourCc}), id, and body bounds
     */
    static Track readTrack(byte[] b, int pos, int end, TrackLayout layout, int sharedFourCc, Media media)
            throws ProtocolException {
        int fourCc = sharedFourCc;
        if (layout == TrackLayout.MANY_TRACKS_MANY_CODECS) {
            fourCc = u32(b, pos, end, media.trackFourCc);
            pos += 4;
        }
        int trackId = u8(b, pos, end, media.trackId);
        pos += 1;
        int bodyEnd = end;
        if (layout != TrackLayout.ONE_TRACK) {
            int size = u24(b, pos, end, media.trackSize);
            pos += 3;
            if (size > end - pos) {
                throw new ProtocolException("%s track %d body: needs %d bytes at offset %d, only %d left"
                        .formatted(media.label, trackId, size, pos, end - pos));
            }
            bodyEnd = pos + size;
        }
        return new Track(fourCc, trackId, pos, bodyEnd);
    }

    /**
     * Reads the header of a multitrack message (enhanced-rtmp v2), starting at {@code pos}, just past the
     * byte whose low nibble was Multitrack: the AvMultitrackType (high nibble) with the real PacketType (low
     * nibble), which may be neither Multitrack nor ModEx again, then the FourCC all tracks share unless the
     * layout is ManyTracksManyCodecs.
     */
    static Multitrack readMultitrack(byte[] b, int pos, int end, Media media) throws ProtocolException {
        int layoutByte = u8(b, pos, end, media.multitrackType);
        pos += 1;
        TrackLayout layout = TrackLayout.fromMultitrackType(layoutByte >>> 4);
        if (layout == null) {
            throw new ProtocolException("%s AvMultitrackType %d is reserved".formatted(media.label, layoutByte >>> 4));
        }
        int packetType = layoutByte & 0x0F;
        if (packetType == media.multitrack || packetType == MOD_EX) {
            throw new ProtocolException("%s multitrack packet type %d must not nest".formatted(media.label, packetType));
        }
        int sharedFourCc = 0;
        if (layout != TrackLayout.MANY_TRACKS_MANY_CODECS) {
            sharedFourCc = u32(b, pos, end, media.multitrackFourCc);
            pos += 4;
        }
        return new Multitrack(layout, packetType, sharedFourCc, pos);
    }

    /** A multitrack message's header: layout, the tracks' PacketType and shared FourCC, where the first track starts. */
    record Multitrack(TrackLayout layout, int packetType, int sharedFourCc, int tracksStart) {}

    /** One track's header fields; allocated only for multitrack messages. */
    record Track(int fourCc, int trackId, int bodyStart, int bodyEnd) {}
}
