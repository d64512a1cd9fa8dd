package io.loomcast.gateway.config;

/** What a transcode does with audio: pass it through untouched, or re-encode it to AAC. */
public sealed interface AudioProfile {

    /** Audio passes through as it came ({@code audio: copy}, the default). */
    record Copy() implements AudioProfile {}

    /**
     * Audio is re-encoded to AAC-LC.
     *
     * @param sampleRateHz one of the AAC sampling frequencies FLV players accept
     * @param channels     1 (mono) or 2 (stereo)
     */
    record Encode(Bitrate bitrate, int sampleRateHz, int channels) implements AudioProfile {
        public static final Encode DEFAULT = new Encode(new Bitrate(128_000), 48_000, 2);
    }

    /** The default: copy. */
    AudioProfile COPY = new Copy();
}
