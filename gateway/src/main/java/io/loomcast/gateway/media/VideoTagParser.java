package io.loomcast.gateway.media;

import static io.loomcast.gateway.media.BigEndian.need;
import static io.loomcast.gateway.media.BigEndian.si24;
import static io.loomcast.gateway.media.BigEndian.u32;
import static io.loomcast.gateway.media.BigEndian.u8;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.List;

/** Parses VIDEODATA headers, legacy (FLV 10.1 E.4.3.1) and enhanced (enhanced-rtmp v2, "Enhanced Video"). */
final class VideoTagParser {
    private static final int IS_EX_HEADER = 0x80;
    // enhanced-rtmp v2 VideoPacketType
    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final int SEQUENCE_END = 2;
    private static final int CODED_FRAMES_X = 3;
    private static final int METADATA = 4;
    private static final int MPEG2TS_SEQUENCE_START = 5;
    private static final int MULTITRACK = EnhancedFraming.Media.VIDEO.multitrack;
    private static final int FRAME_TYPE_COMMAND = 5;

    private VideoTagParser() {}

    /**
     * Parses the header at {@code b[off, off+len)}. Returns the first track; when {@code tracks} is not null,
     * every track is also added to it (for a non-multitrack message, just the one).
     */
    static VideoTag parse(byte[] b, int off, int len, List<VideoTag> tracks) throws ProtocolException {
        BigEndian.checkSlice(b, off, len);
        int end = off + len;
        int first = u8(b, off, end, "video message header");
        VideoTag tag = (first & IS_EX_HEADER) != 0 ? enhanced(b, off, end, first, tracks) : legacy(b, off, end, first);
        if (tracks != null && tag.trackLayout() == TrackLayout.SINGLE) {
            tracks.add(tag);
        }
        return tag;
    }

    private static VideoTag legacy(byte[] b, int off, int end, int first) throws ProtocolException {
        int frameBits = first >>> 4;
        VideoFrameType frameType = frameType(frameBits);
        int codecId = first & 0x0F;
        VideoCodec codec = VideoCodec.fromLegacyId(codecId);
        int pos = off + 1;
        if (frameType == VideoFrameType.COMMAND) {
            // FLV 10.1 E.4.3.1: "If FrameType = 5, instead of a video payload, the message stream contains a UI8"
            need(pos, end, 1, "video command frame");
            return single(codec, codecId, false, frameType, VideoPacketKind.COMMAND, 0, pos, end, 0);
        }
        if (codec != VideoCodec.AVC && codec != VideoCodec.HEVC) {
            // Codecs without packet types: every message is a frame; the codec's own header starts the payload.
            return single(codec, codecId, false, frameType, VideoPacketKind.CODED_FRAMES, 0, pos, end, 0);
        }
        // FLV 10.1 E.4.3.1 AVCVIDEOPACKET: AVCPacketType UI8, CompositionTime SI24. HEVC (id 12) copies it.
        boolean avc = codec == VideoCodec.AVC;
        int packetType = u8(b, pos, end, avc ? "AVC AVCPacketType" : "HEVC AVCPacketType");
        int cts = si24(b, pos + 1, end, avc ? "AVC composition time" : "HEVC composition time");
        VideoPacketKind kind = switch (packetType) {
            case 0 -> VideoPacketKind.SEQUENCE_START;
            case 1 -> VideoPacketKind.CODED_FRAMES;
            case 2 -> VideoPacketKind.SEQUENCE_END;
            default -> throw new ProtocolException("%s AVCPacketType %d is not 0, 1 or 2".formatted(codec, packetType));
        };
        return single(codec, codecId, false, frameType, kind, cts, pos + 4, end, 0);
    }

    private static VideoTag enhanced(byte[] b, int off, int end, int first, List<VideoTag> tracks)
            throws ProtocolException {
        int frameBits = first >>> 4 & 0x07;
        int packetType = first & 0x0F;
        int pos = off + 1;
        int nanos = 0;
        if (packetType == EnhancedFraming.MOD_EX) {
            long modEx = EnhancedFraming.readModEx(b, pos, end, EnhancedFraming.Media.VIDEO);
            pos = EnhancedFraming.modExPos(modEx);
            packetType = EnhancedFraming.modExPacketType(modEx);
            nanos = EnhancedFraming.modExNanos(modEx);
        }
        // enhanced-rtmp v2: the frame type is ignored for metadata; a command frame has no FourCC and no body.
        VideoFrameType frameType = packetType == METADATA ? VideoFrameType.NOT_APPLICABLE : frameType(frameBits);
        if (frameType == VideoFrameType.COMMAND) {
            need(pos, end, 1, "video command frame");
            return single(VideoCodec.UNKNOWN, 0, true, frameType, VideoPacketKind.COMMAND, 0, pos, end, nanos);
        }
        if (packetType != MULTITRACK) {
            VideoPacketKind kind = packetKind(packetType);
            int fourCc = u32(b, pos, end, "video FourCC");
            return enhancedBody(b, VideoCodec.fromFourCc(fourCc), fourCc, frameType, kind, packetType, pos + 4, end,
                    TrackLayout.SINGLE, 0, 1, nanos);
        }
        EnhancedFraming.Multitrack mt = EnhancedFraming.readMultitrack(b, pos, end, EnhancedFraming.Media.VIDEO);
        TrackLayout layout = mt.layout();
        packetType = mt.packetType();
        int sharedFourCc = mt.sharedFourCc();
        VideoPacketKind kind = packetKind(packetType);
        VideoTag firstTrack = null;
        int count = 0;
        int trackStart = mt.tracksStart();
        do {
            // Every track is checked, not only the first, so parse and videoTracks agree on what is valid.
            EnhancedFraming.Track t = EnhancedFraming.readTrack(b, trackStart, end, layout, sharedFourCc,
                    EnhancedFraming.Media.VIDEO);
            count++;
            VideoTag tag = enhancedBody(b, VideoCodec.fromFourCc(t.fourCc()), t.fourCc(), frameType, kind, packetType,
                    t.bodyStart(), t.bodyEnd(), layout, t.trackId(), 1, nanos);
            if (tracks != null) {
                tracks.add(tag);
            }
            if (firstTrack == null) {
                firstTrack = tag;
            }
            trackStart = t.bodyEnd();
        } while (trackStart < end);
        return count == 1 ? firstTrack : withTrackCount(firstTrack, count);
    }

    /** The body of one enhanced track: an SI24 composition time for AVC/HEVC CodedFrames, then the data. */
    private static VideoTag enhancedBody(byte[] b, VideoCodec codec, int fourCc, VideoFrameType frameType,
            VideoPacketKind kind, int packetType, int pos, int end, TrackLayout layout, int trackId, int trackCount,
            int nanos) throws ProtocolException {
        int cts = 0;
        // enhanced-rtmp v2: only CodedFrames of avc1/hvc1 carry the SI24; CodedFramesX implies 0.
        if (packetType == CODED_FRAMES && codec.hasCompositionTime()) {
            cts = si24(b, pos, end, codec == VideoCodec.AVC ? "AVC composition time" : "HEVC composition time");
            pos += 3;
        }
        need(pos, end, 0, "video body");
        return new VideoTag(codec, fourCc, true, frameType, kind, cts, pos, end - pos, layout, trackId, trackCount,
                nanos);
    }

    private static VideoTag single(VideoCodec codec, int codecTag, boolean enhanced, VideoFrameType frameType,
            VideoPacketKind kind, int cts, int pos, int end, int nanos) throws ProtocolException {
        need(pos, end, 0, "video body");
        return new VideoTag(codec, codecTag, enhanced, frameType, kind, cts, pos, end - pos, TrackLayout.SINGLE, 0, 1,
                nanos);
    }

    private static VideoTag withTrackCount(VideoTag t, int count) {
        return new VideoTag(t.codec(), t.codecTag(), t.enhanced(), t.frameType(), t.packetKind(), t.compositionTimeMs(),
                t.payloadOffset(), t.payloadLength(), t.trackLayout(), t.trackId(), count, t.timestampOffsetNanos());
    }

    private static VideoFrameType frameType(int bits) throws ProtocolException {
        VideoFrameType t = VideoFrameType.fromBits(bits);
        if (t == null) {
            throw new ProtocolException("video FrameType %d is reserved".formatted(bits));
        }
        return t;
    }

    private static VideoPacketKind packetKind(int packetType) throws ProtocolException {
        return switch (packetType) {
            case SEQUENCE_START -> VideoPacketKind.SEQUENCE_START;
            case CODED_FRAMES, CODED_FRAMES_X -> VideoPacketKind.CODED_FRAMES;
            case SEQUENCE_END -> VideoPacketKind.SEQUENCE_END;
            case METADATA -> VideoPacketKind.METADATA;
            case MPEG2TS_SEQUENCE_START -> VideoPacketKind.MPEG2TS_SEQUENCE_START;
            default -> throw new ProtocolException("video PacketType %d is reserved".formatted(packetType));
        };
    }
}
