package io.loomcast.gateway.config;

/**
 * One output rendition: H.264 video as {@code video} says, audio copied or re-encoded to AAC. The transcoded
 * stream is published locally as {@code app/name@profile}.
 */
public record TranscodeProfile(String name, VideoProfile video, AudioProfile audio) {
    /** Separates a stream from its profile in a rendition's name: {@code live/show@360p}. */
    public static final char RENDITION_SEPARATOR = '@';

    /** The local stream this profile's output of {@code stream} is published as. */
    public String renditionOf(String stream) {
        return stream + RENDITION_SEPARATOR + name;
    }

    /** Whether {@code stream} is a rendition (a transcoder's output); routes never apply to those. */
    public static boolean isRendition(String stream) {
        return stream.indexOf(RENDITION_SEPARATOR) >= 0;
    }
}
