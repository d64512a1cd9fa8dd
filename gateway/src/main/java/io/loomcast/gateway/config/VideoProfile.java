package io.loomcast.gateway.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * H.264 encoding of one rendition. With one dimension absent the encoder keeps the source's aspect ratio;
 * with both absent it keeps the source size. An absent {@code fps} keeps the source frame rate.
 *
 * @param maxrate the VBV cap; defaults to {@code bitrate}
 * @param gop     the keyframe interval, as time so it holds at any frame rate
 * @param bframes B-frames between references; 0 keeps latency and decoder demands lowest
 * @param scaler  how a picture of another size is scaled to this profile's
 */
public record VideoProfile(
        OptionalInt width,
        OptionalInt height,
        OptionalInt fps,
        Bitrate bitrate,
        Bitrate maxrate,
        Duration gop,
        Preset preset,
        H264Profile profile,
        Encoder encoder,
        int bframes,
        Scaler scaler) {

    /** The default keyframe interval: 2 s, what most ingest services ask for. */
    public static final Duration DEFAULT_GOP = Duration.ofSeconds(2);

    /** The default scaler: bicubic, as the ffmpeg CLI scales. */
    public static final Scaler DEFAULT_SCALER = Scaler.BICUBIC;

    /** H.264 encoders, by their FFmpeg names; {@code auto} picks the first one that opens. */
    public enum Encoder {
        AUTO("auto"),
        LIBX264("libx264"),
        LIBOPENH264("libopenh264"),
        H264_NVENC("h264_nvenc"),
        H264_QSV("h264_qsv"),
        H264_VAAPI("h264_vaapi"),
        H264_AMF("h264_amf"),
        H264_VIDEOTOOLBOX("h264_videotoolbox"),
        H264_V4L2M2M("h264_v4l2m2m");

        private final String configName;

        Encoder(String configName) {
            this.configName = configName;
        }

        /** The name written in the config, FFmpeg's encoder name. */
        public String configName() {
            return configName;
        }
    }

    /** x264 speed presets; encoders without presets map them to their nearest setting. */
    public enum Preset {
        ULTRAFAST, SUPERFAST, VERYFAST, FASTER, FAST, MEDIUM, SLOW, SLOWER, VERYSLOW;

        /** The name written in the config. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * libswscale's scaling filters, by the names FFmpeg's {@code -sws_flags} gives them: a choice between
     * CPU and sharpness. Only filters that suit live downscaling are offered.
     */
    public enum Scaler {
        AREA, BILINEAR, BICUBIC, LANCZOS;

        /** The name written in the config. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** H.264 profiles an RTMP player can be expected to decode. */
    public enum H264Profile {
        BASELINE, MAIN, HIGH;

        /** The name written in the config. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
