package io.loomcast.gateway.media;

/**
 * Audio codecs an RTMP audio message can carry: the legacy FLV SoundFormat values (FLV 10.1 E.4.2.1) and
 * the Enhanced RTMP FourCC values (enhanced-rtmp v2, "Enhanced Audio", AudioFourCc).
 */
public enum AudioCodec {
    LPCM_PLATFORM_ENDIAN(0, 0),
    ADPCM(1, 0),
    MP3(2, FourCc.of(".mp3")),
    LPCM_LITTLE_ENDIAN(3, 0),
    NELLYMOSER_16K_MONO(4, 0),
    NELLYMOSER_8K_MONO(5, 0),
    NELLYMOSER(6, 0),
    G711_A_LAW(7, 0),
    G711_MU_LAW(8, 0),
    AAC(10, FourCc.of("mp4a")),
    SPEEX(11, 0),
    MP3_8K(14, 0),
    /** SoundFormat 15: device-specific sound. */
    DEVICE_SPECIFIC(15, 0),
    OPUS(-1, FourCc.of("Opus")),
    FLAC(-1, FourCc.of("fLaC")),
    AC3(-1, FourCc.of("ac-3")),
    EAC3(-1, FourCc.of("ec-3")),
    /** A reserved SoundFormat (12, 13) or an unknown FourCC; the raw value is in the tag's {@code codecTag}. */
    UNKNOWN(-1, 0);

    private final int soundFormat;
    private final int fourCc;

    AudioCodec(int soundFormat, int fourCc) {
        this.soundFormat = soundFormat;
        this.fourCc = fourCc;
    }

    /** The legacy FLV SoundFormat, or -1 where the codec has none. */
    public int soundFormat() {
        return soundFormat;
    }

    /** The Enhanced RTMP FourCC, or 0 where the codec has none. */
    public int fourCc() {
        return fourCc;
    }

    static AudioCodec fromSoundFormat(int format) {
        for (AudioCodec c : VALUES) {
            if (c.soundFormat == format) {
                return c;
            }
        }
        return UNKNOWN;
    }

    static AudioCodec fromFourCc(int fourCc) {
        for (AudioCodec c : VALUES) {
            if (c.fourCc == fourCc && fourCc != 0) {
                return c;
            }
        }
        return UNKNOWN;
    }

    private static final AudioCodec[] VALUES = values();
}
