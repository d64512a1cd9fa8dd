package io.loomcast.gateway.media;

/**
 * Video codecs an RTMP video message can carry: the legacy FLV CodecID values (FLV 10.1 E.4.3.1) and the
 * Enhanced RTMP FourCC values (enhanced-rtmp v2, "Enhanced Video", VideoFourCc).
 */
public enum VideoCodec {
    SORENSON_H263(2, 0),
    SCREEN(3, 0),
    VP6(4, 0),
    VP6_ALPHA(5, 0),
    SCREEN_V2(6, 0),
    AVC(7, FourCc.of("avc1")),
    /** Legacy CodecID 12 is not in any Adobe spec; Chinese CDNs and ffmpeg forks use it for HEVC. */
    HEVC(12, FourCc.of("hvc1")),
    AV1(0, FourCc.of("av01")),
    VP9(0, FourCc.of("vp09")),
    VP8(0, FourCc.of("vp08")),
    /** A CodecID or FourCC this gateway does not know; the raw value is in the tag's {@code codecTag}. */
    UNKNOWN(0, 0);

    private final int legacyId;
    private final int fourCc;

    VideoCodec(int legacyId, int fourCc) {
        this.legacyId = legacyId;
        this.fourCc = fourCc;
    }

    /** The FLV CodecID, or 0 where the codec has none. */
    public int legacyId() {
        return legacyId;
    }

    /** The Enhanced RTMP FourCC, or 0 where the codec has none. */
    public int fourCc() {
        return fourCc;
    }

    /** Whether coded frames carry an SI24 composition time offset (AVC and HEVC only; enhanced-rtmp v2). */
    public boolean hasCompositionTime() {
        return this == AVC || this == HEVC;
    }

    static VideoCodec fromLegacyId(int id) {
        return switch (id) {
            case 2 -> SORENSON_H263;
            case 3 -> SCREEN;
            case 4 -> VP6;
            case 5 -> VP6_ALPHA;
            case 6 -> SCREEN_V2;
            case 7 -> AVC;
            case 12 -> HEVC;
            default -> UNKNOWN;
        };
    }

    static VideoCodec fromFourCc(int fourCc) {
        for (VideoCodec c : VALUES) {
            if (c.fourCc == fourCc && fourCc != 0) {
                return c;
            }
        }
        return UNKNOWN;
    }

    private static final VideoCodec[] VALUES = values();
}
